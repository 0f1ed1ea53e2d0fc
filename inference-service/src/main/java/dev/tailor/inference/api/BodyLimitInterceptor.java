package dev.tailor.inference.api;

import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.OpenAiException;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes of every request body this API reads and stops at {@code tailor.inference.max-body-bytes}: a
 * chunked body (no Content-Length, so {@link BodyLimitFilter} cannot refuse it up front) over the limit is answered
 * 413 with OpenAI's error object after limit + 1 bytes, without reading the rest. The HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}, which answers with an empty 413) is set above this one so that it is
 * never the one that refuses.
 */
@Provider
public final class BodyLimitInterceptor implements ReaderInterceptor {
    static final String SETTING = "tailor.inference.max-body-bytes";

    // resolved on first use: providers are built before the configuration mappings exist
    private final Instance<InferenceSettings> settings;

    public BodyLimitInterceptor(Instance<InferenceSettings> settings) {
        this.settings = settings;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Bounded(context.getInputStream(), settings.get().maxBodyBytes()));
        return context.proceed();
    }

    /** An input stream that throws the 413 once more than {@code limit} bytes were read from it. */
    static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw OpenAiException.tooLarge(limit, SETTING);
            }
        }
    }
}
