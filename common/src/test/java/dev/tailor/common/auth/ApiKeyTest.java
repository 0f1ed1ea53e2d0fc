package dev.tailor.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    @Test
    void keysAreRandomWellFormedAndParseBack() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ApiKey key = ApiKey.generate();
            assertTrue(key.value().matches("tlr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), key.value());
            assertEquals(key, ApiKey.parse(key.value()).orElseThrow());
            assertTrue(seen.add(key.value()), "a key came twice");
        }
        assertTrue(ApiKey.parse("tlr_0123").isEmpty());
        assertTrue(ApiKey.parse("eyJhbGciOiJSUzI1NiJ9.e30.sig").isEmpty());
        assertTrue(ApiKey.looksLikeKey("tlr_whatever") && !ApiKey.looksLikeKey("eyJ"));
    }

    @Test
    void onlyTheHashIsKeptAndOnlyTheKeyMatchesIt() {
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = ApiKeyRecord.of(key, "acme", "bot", Set.of(Roles.INFERENCE_CLIENT), "alice",
                Instant.now().plus(30, ChronoUnit.DAYS));
        String json = Json.write(record);
        assertFalse(json.contains(key.secret()), "the record must not contain the secret: " + json);
        assertFalse(key.toString().contains(key.secret()));
        assertTrue(key.matches(record.sha256()));
        ApiKey other = ApiKey.generate();
        assertFalse(other.matches(record.sha256()));
        assertNotEquals(key.sha256(), other.sha256());
        assertEquals(record, Json.read(json, ApiKeyRecord.class));
        assertEquals("apikey:" + key.keyId(), record.principal());
    }

    @Test
    void revokedOrExpiredKeysAreNotActive() {
        Instant now = Instant.now();
        ApiKeyRecord record = ApiKeyRecord.of(ApiKey.generate(), "acme", "bot", Set.of(Roles.VIEWER), "alice",
                now.plusSeconds(60));
        assertTrue(record.activeAt(now));
        assertFalse(record.activeAt(now.plusSeconds(61)), "expired");
        assertFalse(record.revoked(now, "bob").activeAt(now), "revoked");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiKeyRecord.of(ApiKey.generate(), "acme", "bot",
                Set.of("root"), "alice", now.plusSeconds(60))).getMessage().startsWith("unknown role 'root'"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeyRecord.of(ApiKey.generate(), "acme", "bot",
                Set.of(Roles.VIEWER), "alice", now.minusSeconds(1)));
    }

    @Test
    void adminImpliesEveryRoleAndEditorsCanRead() {
        assertEquals(Set.copyOf(Roles.ALL), Roles.withImplied(Set.of(Roles.ADMIN)));
        assertEquals(Set.of(Roles.DATA_EDITOR, Roles.VIEWER), Roles.withImplied(Set.of(Roles.DATA_EDITOR)));
        assertEquals(Set.of(Roles.TRAINER, Roles.VIEWER), Roles.withImplied(Set.of(Roles.TRAINER)));
        assertEquals(Set.of(Roles.INFERENCE_CLIENT), Roles.withImplied(Set.of(Roles.INFERENCE_CLIENT)),
                "an inference client reads no datasets");
    }
}
