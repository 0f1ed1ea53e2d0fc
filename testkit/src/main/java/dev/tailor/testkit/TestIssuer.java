package dev.tailor.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A real OIDC token issuer on loopback for tests: a locally generated RSA key, the discovery document
 * ({@code /.well-known/openid-configuration}) and its JWKS served over HTTP, and RS256 access tokens signed with it,
 * carrying {@code tailor_tenant} and {@code groups} (roles). The services verify them through quarkus-oidc exactly as
 * they verify Keycloak's. One issuer per JVM ({@link #shared()}), shared by every class loader through system
 * properties (Quarkus loads test classes more than once).
 */
public final class TestIssuer {
    private static final String URL_PROPERTY = "tailor.testkit.issuer.url";
    private static final String KEY_PROPERTY = "tailor.testkit.issuer.key";
    private static final String KID = "tailor-test-key";
    private static TestIssuer shared;

    private final String url;
    private final PrivateKey signingKey;

    private TestIssuer(String url, PrivateKey signingKey) {
        this.url = url;
        this.signingKey = signingKey;
    }

    /** The issuer of this JVM, started on first use (a daemon HTTP server on 127.0.0.1). */
    public static synchronized TestIssuer shared() {
        if (shared == null) {
            synchronized (System.class) {
                if (System.getProperty(URL_PROPERTY) == null) {
                    start();
                }
                shared = new TestIssuer(System.getProperty(URL_PROPERTY),
                        privateKey(System.getProperty(KEY_PROPERTY)));
            }
        }
        return shared;
    }

    private static void start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/tailor";
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            jwk.setKeyId(KID);
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            String jwks = new JsonWebKeySet(jwk).toJson();
            String discovery = "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/protocol/openid-connect/certs\","
                    + "\"token_endpoint\":\"" + url + "/protocol/openid-connect/token\","
                    + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
            server.createContext("/realms/tailor/.well-known/openid-configuration", ex -> send(ex, discovery));
            server.createContext("/realms/tailor/protocol/openid-connect/certs", ex -> send(ex, jwks));
            server.setExecutor(null);
            Thread thread = new Thread(server::start, "test-issuer");
            thread.setDaemon(true);
            thread.start();
            System.setProperty(URL_PROPERTY, url);
            System.setProperty(KEY_PROPERTY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot start the test OIDC issuer", e);
        }
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("cannot read the test issuer's key", e);
        }
    }

    /** The issuer URL: {@code quarkus.oidc.auth-server-url}. */
    public String url() {
        return url;
    }

    /** What a service needs to trust this issuer. */
    public Map<String, String> quarkusConfig() {
        return Map.of("quarkus.oidc.auth-server-url", url);
    }

    /** An access token of {@code subject} in {@code tenant} with {@code roles}, valid for an hour. */
    public String token(String tenant, String subject, String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(url);
        claims.setSubject(subject);
        claims.setClaim("preferred_username", subject);
        claims.setAudience("tailor");
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(60);
        if (tenant != null) {
            claims.setClaim("tailor_tenant", tenant);
        }
        claims.setStringListClaim("groups", List.of(roles));
        return sign(claims);
    }

    /** A token like {@link #token} signed by a key this issuer does not publish (must be refused). */
    public static String forgedToken(String issuerUrl, String tenant, String... roles) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuerUrl);
            claims.setSubject("mallory-" + UUID.randomUUID());
            claims.setExpirationTimeMinutesInTheFuture(60);
            claims.setClaim("tailor_tenant", tenant);
            claims.setStringListClaim("groups", List.of(roles));
            return new TestIssuer(issuerUrl, generator.generateKeyPair().getPrivate()).sign(claims);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey);
        jws.setKeyIdHeaderValue(KID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

}
