package dev.tailor.console.api;

import dev.tailor.common.json.Json;
import dev.tailor.console.config.ConsoleSettings;
import dev.tailor.security.api.ErrorShape;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The same-origin reverse proxy of the console: {@code /api/<service>/<path>} goes to {@code <base URL of
 * service>/<path>} with the caller's {@code Authorization} header, body and answer streamed both ways (uploads,
 * server-sent chat completions). The browser needs one origin and one credential; every service still checks the
 * credential itself. A caller without valid credentials gets 401 here (problem details), before anything is sent on.
 */
@ApplicationScoped
public class ServiceProxy {
    /** Route of the proxy: {@code /api/<service>/…}. */
    public static final String PREFIX = "/api/";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private final ConsoleSettings settings;
    private final HttpClient client;
    private final ErrorShape errors;

    public ServiceProxy(Vertx vertx, ConsoleSettings settings, ErrorShape errors) {
        this.settings = settings;
        this.errors = errors;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setIdleTimeout(60));
    }

    void routes(@Observes Router router) {
        router.route(PREFIX + "*").handler(this::forward);
    }

    private void forward(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        in.pause(); // nothing of the body may be lost while the credential is checked
        String rest = in.uri().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String service = slash < 0 ? rest.replaceAll("[?#].*", "") : rest.substring(0, slash);
        URI base = settings.services().get(service);
        if (base == null) {
            problem(ctx, 404, "Unknown service", "no service '" + service + "' behind the console; the services are "
                    + new TreeSet<>(settings.services().keySet()) + " (use /api/<service>/<path>)");
            return;
        }
        String path = slash < 0 ? "/" : rest.substring(slash);
        identity(ctx).subscribe().with(id -> {
            if (id == null || id.isAnonymous()) {
                unauthorized(ctx, "credentials required: send 'Authorization: Bearer <API key or access token>'");
            } else {
                send(ctx, in, base, path);
            }
        }, failure -> unauthorized(ctx, "the credential was refused: " + failure.getMessage()));
    }

    /** The caller's identity: Quarkus authenticates lazily (quarkus.http.auth.proactive=false). */
    private static Uni<SecurityIdentity> identity(RoutingContext ctx) {
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred != null) {
            return deferred;
        }
        return Uni.createFrom().item(ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null);
    }

    private void send(RoutingContext ctx, HttpServerRequest in, URI base, String path) {
        String target = base.toString().replaceAll("/+$", "") + path;
        RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(target)
                .setTimeout(settings.proxyTimeout().toMillis());
        client.request(options).onSuccess(out -> {
            in.headers().forEach(h -> {
                if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    out.headers().add(h.getKey(), h.getValue());
                }
            });
            String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else if (in.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                out.setChunked(true);
            }
            out.send(in).onSuccess(answer -> reply(ctx, answer))
                    .onFailure(e -> unreachable(ctx, base, e));
        }).onFailure(e -> unreachable(ctx, base, e));
    }

    private void reply(RoutingContext ctx, HttpClientResponse answer) {
        HttpServerResponse res = ctx.response();
        res.setStatusCode(answer.statusCode());
        answer.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                res.headers().add(h.getKey(), h.getValue());
            }
        });
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            res.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            res.setChunked(true);
        }
        answer.pipeTo(res);
    }

    private void unreachable(RoutingContext ctx, URI base, Throwable e) {
        if (!ctx.response().headWritten()) {
            problem(ctx, 502, "Service unreachable", "the console could not reach " + base + ": " + e.getMessage()
                    + " (check tailor.console.services and that the service is up)");
        } else {
            ctx.response().reset();
        }
    }

    private void unauthorized(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        problem(ctx, 401, "Unauthorized", detail);
    }

    /** An error in the APIs' shape (problem details), written on the Vert.x response. */
    private void problem(RoutingContext ctx, int status, String title, String detail) {
        jakarta.ws.rs.core.Response shaped = errors.error(status, title, detail, null);
        ctx.request().resume();
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, String.valueOf(shaped.getMediaType()))
                .end(Json.write(shaped.getEntity()));
    }
}
