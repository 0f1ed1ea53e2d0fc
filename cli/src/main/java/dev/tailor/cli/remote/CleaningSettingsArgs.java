package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cleaning settings from the command line: a JSON file ({@code --settings}) and single settings ({@code --set
 * key=value}, over the file). A key is a setting's name ({@code redactPii}) or component.name
 * ({@code quality.minChars}); a value is JSON when it reads as JSON ({@code 200}, {@code false}, {@code ["en"]}), else
 * text. The service validates the settings and names a wrong one.
 */
final class CleaningSettingsArgs {
    private CleaningSettingsArgs() {
    }

    static ObjectNode settings(Path file, List<String> sets) {
        ObjectNode settings = Json.mapper().createObjectNode();
        if (file != null) {
            JsonNode read;
            try {
                read = Json.mapper().readTree(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("--settings " + file + " cannot be read as JSON: " + e.getMessage());
            }
            if (!(read instanceof ObjectNode o)) {
                throw new IllegalArgumentException("--settings " + file + " must hold a JSON object such as"
                        + " {\"quality\": {\"minChars\": 200}}");
            }
            settings = o;
        }
        for (String set : sets == null ? List.<String>of() : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + set + ": write KEY=VALUE, e.g. quality.minChars=200");
            }
            String key = set.substring(0, eq).strip();
            JsonNode value = value(set.substring(eq + 1));
            int dot = key.indexOf('.');
            if (dot > 0) {
                JsonNode component = settings.get(key.substring(0, dot));
                ObjectNode c = component instanceof ObjectNode o ? o : settings.putObject(key.substring(0, dot));
                c.set(key.substring(dot + 1), value);
            } else {
                settings.set(key, value);
            }
        }
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("no settings to re-clean with: give --settings FILE or --set KEY=VALUE");
        }
        return settings;
    }

    /** A list or object in JSON ({@code ["en","de"]}), else as a job parameter: number, boolean or text. */
    static JsonNode value(String text) {
        String t = text.strip();
        if (t.startsWith("[") || t.startsWith("{")) {
            try {
                return Json.mapper().readTree(t);
            } catch (IOException notJson) {
                return TextNode.valueOf(text);
            }
        }
        return JobsCommand.value(text);
    }
}
