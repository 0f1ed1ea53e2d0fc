package dev.tailor.llm.generate;

/** Streaming callback: called once per generated token, with the text it adds (may be empty mid-character). */
@FunctionalInterface
public interface TokenListener {
    void onToken(int id, String textDelta);
}
