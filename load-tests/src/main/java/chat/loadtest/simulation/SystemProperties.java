package chat.loadtest.simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Reads a simulation's settings from system properties ({@code -Dusers=200}), with defaults. */
final class SystemProperties {

    private SystemProperties() {
    }

    static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    static double decimal(String name, double fallback) {
        return Double.parseDouble(text(name, Double.toString(fallback)));
    }

    static Duration seconds(String name, double fallback) {
        return Duration.ofMillis(Math.round(decimal(name, fallback) * 1000));
    }

    static Path path(String name, String fallback) {
        return Path.of(text(name, fallback));
    }

    static List<String> list(String name, String fallback) {
        return Arrays.stream(text(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The HS256 secret the nodes were started with; the local run keeps its own in {@code .local-data/dev-secret}. */
    static String authSecret() {
        String secret = text("authSecret", System.getenv("CHAT_AUTH_SECRET"));
        if (secret == null) {
            throw new IllegalStateException("Set -DauthSecret to the nodes' CHAT_AUTH_SECRET");
        }
        return secret;
    }
}
