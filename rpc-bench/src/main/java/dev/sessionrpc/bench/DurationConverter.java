package dev.sessionrpc.bench;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads {@code 500ms}, {@code 20s}, {@code 2m} or a bare number of seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
}
