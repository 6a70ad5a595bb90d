package chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A Dockerfile as its instructions, in order, with continuation lines joined and comments dropped. */
record Dockerfile(Path file, List<Instruction> instructions) {

    /** One instruction: its keyword in capitals and the rest of the line. */
    record Instruction(String keyword, String arguments) {
        List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            pending.append(line.trim());
            if (line.endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                pending.append(' ');
                continue;
            }
            String[] parts = pending.toString().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            pending.setLength(0);
        }
        return new Dockerfile(file, instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    /** What the COPY instructions take from the build context (not from another stage): the source paths. */
    List<String> contextSources() {
        List<String> sources = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = copy.words();
            if (words.stream().anyMatch(word -> word.startsWith("--from="))) {
                continue;
            }
            words.subList(0, words.size() - 1).stream().filter(word -> !word.startsWith("--")).forEach(sources::add);
        }
        return sources;
    }

    /** The instructions of the last stage, the image that runs. */
    List<Instruction> runtimeStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }
}
