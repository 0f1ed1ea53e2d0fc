package dev.tailor.dataprep.text;

/** Detects binary junk: NUL bytes or a high share of control characters. */
public final class BinaryDetector {
    private BinaryDetector() {
    }

    public static boolean looksBinary(CharSequence s) {
        int control = 0;
        int n = Math.min(s.length(), 8192);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return true;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        return n > 0 && control * 10 > n;
    }

    public static boolean looksBinary(byte[] b, int len) {
        int control = 0;
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (c == 0) {
                return true;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) {
                control++;
            }
        }
        return len > 0 && control * 10 > len;
    }
}
