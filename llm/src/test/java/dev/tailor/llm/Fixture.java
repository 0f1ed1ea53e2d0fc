package dev.tailor.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The tiny-llama fixture copied from ../shared/fixtures/tiny-llama into test resources. */
public final class Fixture {

    private Fixture() {
    }

    public static Path dir() {
        try {
            return Path.of(Fixture.class.getResource("/tiny-llama/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode golden() {
        try {
            return new ObjectMapper().readTree(dir().resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Max |got - want| - (abs + rel·|want|) over all entries; <= 0 means within tolerance. */
    public static double excess(float[][] got, JsonNode want, double abs, double rel) {
        double worst = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < got.length; t++) {
            for (int v = 0; v < got[t].length; v++) {
                double w = want.get(t).get(v).asDouble();
                worst = Math.max(worst, Math.abs(got[t][v] - w) - (abs + rel * Math.abs(w)));
            }
        }
        return worst;
    }

    public static double maxDiff(float[][] a, float[][] b) {
        double worst = 0;
        for (int t = 0; t < a.length; t++) {
            for (int v = 0; v < a[t].length; v++) {
                worst = Math.max(worst, Math.abs(a[t][v] - b[t][v]));
            }
        }
        return worst;
    }
}
