package dev.tailor.dataprep.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Content spam classifier: Robinson's per-token probabilities combined with Fisher's chi-square method,
 * as in SpamBayes. A token's probability is {@code f(w) = (s·x + n·p(w)) / (s + n)} with
 * {@code p(w) = spamRatio / (spamRatio + hamRatio)} (the shares of spam and ham training messages that
 * contain it), {@code n} the messages that contain it, {@code s = 0.45} and {@code x = 0.5}. The
 * {@value #MAX_CLUES} tokens of a message ({@link SpamTokens}) farthest from 0.5 (at least
 * {@value #MIN_STRENGTH} away) are the clues; the result is {@code (S - H + 1) / 2} where S and H are
 * Fisher's chi-square confidences that the clues lean to spam and to ham: near 1 for spam, near 0 for
 * ham, near 0.5 when there is little evidence or evidence both ways.
 *
 * <p>The model ({@code spam/model.tsv.gz} next to this class; see the README there) holds, per token,
 * the number of spam and ham training messages that contain it. It is loaded once ({@link #shared()});
 * an instance is immutable and safe for concurrent use. Scoring does not allocate per token.
 */
public final class SpamClassifier {
    static final String RESOURCE = "spam/model.tsv.gz";
    static final int MAX_CLUES = 150;
    static final double MIN_STRENGTH = 0.1;
    private static final double PRIOR_STRENGTH = 0.45;
    private static final double PRIOR = 0.5;
    private static final int EVIDENCE = 5;

    private final String[] tokens;   // by rank: the strongest evidence (farthest from 0.5) first
    private final double[] prob;
    private final double[] logProb;
    private final double[] logNotProb;
    private final long[] table;      // open addressing, pairs of (token hash, rank + 1); rank + 1 = 0: empty

    private SpamClassifier(List<String> names, List<int[]> counts, int spamMessages, int hamMessages) {
        int n = names.size();
        Integer[] order = new Integer[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            f[i] = tokenProbability(counts.get(i)[0], counts.get(i)[1], spamMessages, hamMessages);
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(f[i] - 0.5)).thenComparing(names::get));
        int kept = 0;
        while (kept < n && Math.abs(f[order[kept]] - 0.5) >= MIN_STRENGTH) {
            kept++;
        }
        tokens = new String[kept];
        prob = new double[kept];
        logProb = new double[kept];
        logNotProb = new double[kept];
        table = new long[Integer.highestOneBit(Math.max(1, kept) * 2) * 4];
        int mask = table.length / 2 - 1;
        for (int r = 0; r < kept; r++) {
            tokens[r] = names.get(order[r]);
            prob[r] = f[order[r]];
            logProb[r] = Math.log(prob[r]);
            logNotProb[r] = Math.log1p(-prob[r]);
            char[] c = tokens[r].toCharArray();
            long h = hash(c, c.length);
            int i = (int) h & mask;
            while (table[2 * i + 1] != 0 && table[2 * i] != h) {
                i = (i + 1) & mask;
            }
            if (table[2 * i + 1] == 0) { // a (never seen) 64-bit collision keeps the stronger token
                table[2 * i] = h;
                table[2 * i + 1] = r + 1;
            }
        }
    }

    /** The model shipped in this package, loaded on first use. */
    public static SpamClassifier shared() {
        return Shared.MODEL;
    }

    /**
     * Reads a gzipped model: {@code #} comment lines, then {@code messages<TAB>spam<TAB>ham} (training
     * message counts), then one {@code token<TAB>spam<TAB>ham} line per token (a token may start with #).
     */
    public static SpamClassifier read(InputStream gzipped) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        int spam = -1;
        int ham = -1;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (spam < 0 && line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IOException("spam model: expected token<TAB>spam<TAB>ham, got '" + line + "'");
            }
            if (spam < 0) {
                if (!f[0].equals("messages")) {
                    throw new IOException("spam model: the first line must be messages<TAB>spam<TAB>ham, got '" + line + "'");
                }
                spam = Integer.parseInt(f[1]);
                ham = Integer.parseInt(f[2]);
            } else {
                names.add(f[0]);
                counts.add(new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
            }
        }
        if (spam <= 0 || ham <= 0) {
            throw new IOException("spam model: no spam or no ham training messages");
        }
        return new SpamClassifier(names, counts, spam, ham);
    }

    /** Robinson's f(w) of a token found in {@code spam} of {@code spamMessages} and {@code ham} of {@code hamMessages}. */
    static double tokenProbability(int spam, int ham, int spamMessages, int hamMessages) {
        double spamRatio = (double) spam / spamMessages;
        double hamRatio = (double) ham / hamMessages;
        double p = spamRatio / (spamRatio + hamRatio);
        int n = spam + ham;
        return (PRIOR_STRENGTH * PRIOR + n * p) / (PRIOR_STRENGTH + n);
    }

    /** Spam probability (0..1; 0.5 = no evidence) of a message's subject (may be null) and readable body. */
    public double probability(String subject, String body) {
        Clues c = clues(subject, body);
        if (c.size == 0) {
            return 0.5;
        }
        double logNotSpam = 0;
        double logNotHam = 0;
        for (int i = 0; i < c.size; i++) {
            logNotSpam += logNotProb[c.ranks[i]];
            logNotHam += logProb[c.ranks[i]];
        }
        double spam = 1 - chi2Q(-2 * logNotSpam, 2 * c.size);
        double ham = 1 - chi2Q(-2 * logNotHam, 2 * c.size);
        return (spam - ham + 1) / 2;
    }

    /** Up to {@code n} of the message's clues that point most to spam, strongest first. */
    public List<String> evidence(String subject, String body, int n) {
        Clues c = clues(subject, body);
        Integer[] spammy = new Integer[c.size];
        int k = 0;
        for (int i = 0; i < c.size; i++) {
            if (prob[c.ranks[i]] > 0.5) {
                spammy[k++] = c.ranks[i];
            }
        }
        Arrays.sort(spammy, 0, k, Comparator.comparingDouble(r -> -prob[r]));
        List<String> out = new ArrayList<>(Math.min(n, k));
        for (int i = 0; i < k && i < n; i++) {
            out.add(tokens[spammy[i]]);
        }
        return out;
    }

    /**
     * Why the message is spam at {@code threshold}, e.g. {@code spam: content classifier p=0.9990 >=
     * spamThreshold 0.99 (tokens: "click", "money:$d,ddd", ...)}, or null when its probability is below it.
     */
    public String spamReason(String subject, String body, double threshold) {
        double p = probability(subject, body);
        if (p < threshold) {
            return null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "spam: content classifier p=%.4f >= spamThreshold %s (tokens: ", p, threshold));
        for (String t : evidence(subject, body, EVIDENCE)) {
            sb.append('"').append(t).append("\", ");
        }
        return sb.append("...)").toString();
    }

    private Clues clues(String subject, String body) {
        Clues c = new Clues();
        SpamTokens.tokenize(subject, body, c);
        c.rank();
        return c;
    }

    /** The model's ranks of a message's tokens; after {@link #rank()}, the distinct strongest ones in order. */
    private final class Clues implements SpamTokens.Sink {
        int[] ranks = new int[256];
        int size;

        @Override
        public void token(char[] buf, int len) {
            long h = hash(buf, len);
            int mask = table.length / 2 - 1;
            for (int i = (int) h & mask; table[2 * i + 1] != 0; i = (i + 1) & mask) {
                if (table[2 * i] == h) {
                    if (size == ranks.length) {
                        ranks = Arrays.copyOf(ranks, size * 2);
                    }
                    ranks[size++] = (int) table[2 * i + 1] - 1;
                    return;
                }
            }
        }

        void rank() { // a lower rank is stronger evidence: sorting orders by strength and groups repeats
            Arrays.sort(ranks, 0, size);
            int distinct = 0;
            for (int i = 0; i < size && distinct < MAX_CLUES; i++) {
                if (distinct == 0 || ranks[i] != ranks[distinct - 1]) {
                    ranks[distinct++] = ranks[i];
                }
            }
            size = distinct;
        }
    }

    /** P(chi-square with {@code v} (even) degrees of freedom ≥ {@code x2}). */
    static double chi2Q(double x2, int v) {
        double m = x2 / 2;
        double term = Math.exp(-m);
        double sum = term;
        for (int i = 1; i < v / 2; i++) {
            term *= m / i;
            sum += term;
        }
        return Math.min(sum, 1.0);
    }

    /** 64-bit FNV-1a of the characters, finished with a MurmurHash3 mix (the low bits index the table). */
    static long hash(char[] c, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h = (h ^ c[i]) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static final class Shared {
        static final SpamClassifier MODEL = load();

        private static SpamClassifier load() {
            try (InputStream in = SpamClassifier.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("spam model " + RESOURCE + " is missing next to " + SpamClassifier.class.getName());
                }
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spam model " + RESOURCE, e);
            }
        }
    }
}
