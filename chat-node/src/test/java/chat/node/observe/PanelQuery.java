package chat.node.observe;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus query of a Grafana dashboard: a panel's target or a template variable's {@code label_values}.
 *
 * @param dashboard the dashboard's uid
 * @param source    the panel's title and the target's refId, or the variable's name
 * @param expr      the query as the dashboard has it, with Grafana's variables
 * @param exemplar  whether the panel asks Grafana for the query's exemplars
 */
record PanelQuery(String dashboard, String source, String expr, boolean exemplar) {
    /** The window Grafana would put for {@code $__rate_interval} at a 1 s scrape interval, rounded up. */
    private static final String RATE_INTERVAL = "30s";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}|\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][\\w:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    /** The query as Prometheus takes it: Grafana's interval variables and every template variable as {@code .*}. */
    String promql() {
        String query = expr.replace("$__rate_interval", RATE_INTERVAL)
                .replace("${__rate_interval}", RATE_INTERVAL)
                .replace("$__interval", "15s")
                .replace("$__range", "1h");
        Matcher labelValues = LABEL_VALUES.matcher(query.strip());
        if (labelValues.matches()) {
            query = "group by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")";
        }
        return VARIABLE.matcher(query).replaceAll(".*");
    }

    /** The metric names the query reads: every name that is not a function, keyword, label or string. */
    Set<String> metricNames() {
        String query = QUOTED.matcher(promql()).replaceAll("\"\"");
        query = MATCHERS.matcher(query).replaceAll(" ");
        query = GROUPING.matcher(query).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(query);
        while (identifier.find()) {
            String name = identifier.group();
            String rest = query.substring(identifier.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return dashboard + " / " + source;
    }
}
