package dev.tailor.cli.support;

/** The caller's credential for Tailor's APIs, from the environment only (never an option: it would show in ps). */
public final class Credentials {
    private Credentials() {
    }

    /**
     * {@code TAILOR_API_KEY}, else {@code TAILOR_TOKEN} (an OIDC access token).
     *
     * @param need what the credential must allow, for the message when there is none (e.g. "an admin key")
     * @throws IllegalArgumentException when neither is set
     */
    public static String fromEnvironment(String need) {
        String key = System.getenv("TAILOR_API_KEY");
        String token = key != null && !key.isBlank() ? key : System.getenv("TAILOR_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("set TAILOR_API_KEY (" + need + ") or TAILOR_TOKEN (an OIDC access"
                    + " token with that role)");
        }
        return token.strip();
    }
}
