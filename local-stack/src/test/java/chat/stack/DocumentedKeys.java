package chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The settings an application's {@code application.yaml} names: those it sets, and those it shows commented out
 * ({@code # secret: ...}), the files' way of naming a setting that has no default. A map left open for any key
 * ({@code properties: {}}, or commented out with no value) takes every key below it.
 */
final class DocumentedKeys {
    /** A key at the start of a line, or after a single "# " (prose comments have capitals, spaces or dots first). */
    private static final Pattern KEY_LINE = Pattern.compile("^( *)(# )?([a-z][a-z0-9-]*):(.*)$");

    private final Map<String, Object> values;
    private final Set<String> leaves = new HashSet<>();
    private final Set<String> openMaps = new HashSet<>();

    private DocumentedKeys(Map<String, Object> values) {
        this.values = values;
    }

    static DocumentedKeys read(Path applicationYaml) throws IOException {
        String text = Files.readString(applicationYaml);
        DocumentedKeys keys = new DocumentedKeys(new Yaml().load(text));
        keys.collect(text);
        return keys;
    }

    /** The configuration key Helidon's environment source makes of a variable: CHAT_DB_URL is chat.db.url. */
    static String configKey(String environmentVariable) {
        return environmentVariable.replaceAll("_dash_|_DASH_", "-").replace('_', '.').toLowerCase(Locale.ROOT);
    }

    /** Whether the variable, mapped the way Helidon maps it, names a setting of this file. */
    boolean readsEnvironmentVariable(String name) {
        String key = configKey(name);
        return leaves.contains(key) || openMaps.stream().anyMatch(map -> key.startsWith(map + "."));
    }

    /** The value the file sets at a dotted key. */
    Optional<Object> value(String key) {
        Object node = values;
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return Optional.empty();
            }
            node = map.get(part);
        }
        return Optional.ofNullable(node);
    }

    private void collect(String text) {
        Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
        Set<String> nodes = new HashSet<>();
        Set<String> unset = new HashSet<>();
        for (String line : text.lines().toList()) {
            Matcher key = KEY_LINE.matcher(line);
            if (!key.matches()) {
                continue;
            }
            int indent = key.group(1).length();
            while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                parents.pop();
            }
            String parent = parents.isEmpty() ? null : parents.peek().getValue();
            String path = parent == null ? key.group(3) : parent + "." + key.group(3);
            if (parent != null) {
                nodes.add(parent);
            }
            String value = key.group(4).replaceAll("(^|\\s+)#.*$", "").trim();
            if (value.equals("{}")) {
                openMaps.add(path);
            } else if (value.isEmpty()) {
                unset.add(path);
                parents.push(Map.entry(indent, path));
            } else {
                leaves.add(path);
            }
        }
        unset.stream().filter(path -> !nodes.contains(path)).forEach(openMaps::add);
    }
}
