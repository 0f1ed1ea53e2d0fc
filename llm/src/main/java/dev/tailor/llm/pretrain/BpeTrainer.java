package dev.tailor.llm.pretrain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges (GPT-2 style) from text: the text is split with GPT-2's
 * pre-tokenizer pattern, each piece starts as its UTF-8 bytes, and the most frequent adjacent pair
 * is merged repeatedly (ties broken by the smaller pair, so the result is deterministic). The merges
 * are written into a standard {@code tokenizer.json} by {@link ByteTokenizer}, so the Hugging Face
 * tokenizers library does the encoding.
 */
public final class BpeTrainer {
    /** GPT-2's pre-tokenizer split, as the ByteLevel pre-tokenizer applies it. */
    static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private BpeTrainer() {
    }

    /** Merges as pairs of token strings in the byte-level alphabet, in rank order. */
    public static List<String[]> train(String text, int merges) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        List<int[]> words = new ArrayList<>(counts.size());
        List<Integer> freq = new ArrayList<>(counts.size());
        new TreeMap<>(counts).forEach((piece, c) -> {
            byte[] b = piece.getBytes(StandardCharsets.UTF_8);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                w[i] = b[i] & 0xff;
            }
            words.add(w);
            freq.add(c);
        });
        List<String> symbols = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        char[] alphabet = ByteTokenizer.byteAlphabet();
        for (int b = 0; b < 256; b++) {
            symbols.add(String.valueOf(alphabet[b]));
            ids.put(symbols.get(b), b);
        }
        Map<Long, Long> pairs = new HashMap<>();
        Map<Long, java.util.Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            count(words.get(i), freq.get(i), i, pairs, where);
        }
        List<String[]> out = new ArrayList<>();
        for (int k = 0; k < merges; k++) {
            long best = -1;
            long bestCount = 1; // a pair seen once is not worth a token
            for (Map.Entry<Long, Long> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best >= 0 && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best < 0) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            String joined = symbols.get(a) + symbols.get(b);
            Integer known = ids.get(joined);
            int id = known != null ? known : symbols.size();
            if (known == null) {
                symbols.add(joined);
                ids.put(joined, id);
            }
            out.add(new String[] {symbols.get(a), symbols.get(b)});
            java.util.Set<Integer> at = where.remove(best);
            for (int i : at == null ? List.<Integer>of() : List.copyOf(at)) {
                int[] w = words.get(i);
                int[] merged = merge(w, a, b, id);
                if (merged != w) {
                    count(w, -freq.get(i), i, pairs, null);
                    count(merged, freq.get(i), i, pairs, where);
                    words.set(i, merged);
                }
            }
            pairs.remove(best);
        }
        return out;
    }

    /** Adds {@code f} to the count of every adjacent pair of {@code w} (and records where it occurs). */
    private static void count(int[] w, long f, int index, Map<Long, Long> pairs, Map<Long, java.util.Set<Integer>> where) {
        for (int j = 0; j + 1 < w.length; j++) {
            long key = ((long) w[j] << 32) | w[j + 1];
            long c = pairs.merge(key, f, Long::sum);
            if (c <= 0) {
                pairs.remove(key);
            }
            if (where != null) {
                where.computeIfAbsent(key, x -> new java.util.HashSet<>()).add(index);
            }
        }
    }

    private static int[] merge(int[] w, int a, int b, int id) {
        int n = 0;
        int[] out = null;
        for (int j = 0; j < w.length; j++) {
            if (j + 1 < w.length && w[j] == a && w[j + 1] == b) {
                if (out == null) {
                    out = new int[w.length - 1];
                    System.arraycopy(w, 0, out, 0, j);
                    n = j;
                }
                out[n++] = id;
                j++;
            } else if (out != null) {
                out[n++] = w[j];
            }
        }
        return out == null ? w : java.util.Arrays.copyOf(out, n);
    }
}
