package dev.tailor.llm.train;

import dev.tailor.llm.train.batch.TokenizedExample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tiny-llama fixture (src/test/resources/tiny-llama) and byte-level examples for it: byte b = id 3 + b. */
final class TinyLlama {
    static final Path DIR = Path.of("src/test/resources/tiny-llama");

    private TinyLlama() {
    }

    /** &lt;s&gt; prompt answer &lt;/s&gt; with only answer bytes and the closing &lt;/s&gt; counted. */
    static TokenizedExample qa(String prompt, String answer) {
        byte[] p = prompt.getBytes(StandardCharsets.UTF_8);
        byte[] a = answer.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[2 + p.length + a.length];
        boolean[] mask = new boolean[ids.length];
        ids[0] = 1;
        for (int i = 0; i < p.length; i++) {
            ids[1 + i] = 3 + (p[i] & 0xff);
        }
        for (int i = 0; i < a.length; i++) {
            ids[1 + p.length + i] = 3 + (a[i] & 0xff);
            mask[1 + p.length + i] = true;
        }
        ids[ids.length - 1] = 2;
        mask[ids.length - 1] = true;
        return new TokenizedExample(ids, mask);
    }

    static List<TokenizedExample> examples(int n) {
        String[][] qa = {{"Q: reset password? A:", " Use the reset link."}, {"Q: refund? A:", " Within 30 days."},
            {"Q: hours? A:", " 9 to 5, Mon-Fri."}, {"Q: shipping? A:", " Two days."},
            {"Q: invoice? A:", " See Billing."}, {"Q: cancel? A:", " Settings, then Plan."},
            {"Q: contact? A:", " help@example.com"}, {"Q: login fails? A:", " Clear cookies."}};
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(qa(qa[i % qa.length][0], qa[i % qa.length][1]));
        }
        return out;
    }
}
