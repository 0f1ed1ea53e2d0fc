package dev.tailor.llm.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Downloads a model repository from the Hugging Face Hub (or a mirror) by repo id into a local cache folder, the
 * way {@code huggingface_hub} resolves files: {@code {endpoint}/{repo}/resolve/{revision}/{file}}, following
 * redirects to the LFS CDN, with {@code Authorization: Bearer $HF_TOKEN} for gated or private repos.
 */
public final class HubClient {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[\\w.-]+)?");
    private static final List<String> OPTIONAL = List.of("tokenizer_config.json", "generation_config.json",
            "special_tokens_map.json");

    private final String endpoint;
    private final String token;
    private final Path cacheDir;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    /**
     * @param endpoint Hub base URL, e.g. {@value #DEFAULT_ENDPOINT}
     * @param token    nullable access token
     * @param cacheDir where repositories are stored, one folder per repo id and revision
     */
    public HubClient(String endpoint, String token, Path cacheDir) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token == null || token.isBlank() ? null : token;
        this.cacheDir = cacheDir;
    }

    /** Endpoint from {@code HF_ENDPOINT}, token from {@code HF_TOKEN}, cache {@code ~/.cache/tailor/hub}. */
    public static HubClient fromEnvironment() {
        String ep = System.getenv().getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "tailor", "hub");
        return new HubClient(ep, System.getenv("HF_TOKEN"), cache);
    }

    /** Downloads config, tokenizer and safetensors weights (single file or every shard); returns the local folder. */
    public Path download(String repoId, String revision) {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("..")) {
            throw new IllegalArgumentException("'" + repoId + "' is not a Hub repo id like HuggingFaceTB/SmolLM2-135M");
        }
        String rev = revision == null || revision.isBlank() ? "main" : revision;
        Path dir = cacheDir.resolve(repoId.replace('/', '_') + "@" + rev.replace('/', '_'));
        try {
            Files.createDirectories(dir);
            fetch(repoId, rev, "config.json", dir, true);
            fetch(repoId, rev, "tokenizer.json", dir, true);
            for (String f : OPTIONAL) {
                fetch(repoId, rev, f, dir, false);
            }
            if (fetch(repoId, rev, CheckpointLoader.INDEX, dir, false)) {
                var map = new ObjectMapper().readTree(dir.resolve(CheckpointLoader.INDEX).toFile()).path("weight_map");
                TreeSet<String> shards = new TreeSet<>();
                map.forEach(n -> shards.add(n.asText()));
                for (String shard : shards) {
                    if (shard.contains("/") || shard.contains("..")) {
                        throw new IllegalArgumentException("Suspicious shard name in index: " + shard);
                    }
                    fetch(repoId, rev, shard, dir, true);
                }
            } else {
                fetch(repoId, rev, CheckpointLoader.SINGLE, dir, true);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store " + repoId + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** URL of one file of a repo. */
    public URI fileUri(String repoId, String revision, String file) {
        return URI.create(endpoint + "/" + repoId + "/resolve/" + URLEncoder.encode(revision, StandardCharsets.UTF_8)
                + "/" + file);
    }

    private boolean fetch(String repoId, String rev, String file, Path dir, boolean required) throws IOException {
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)) {
            return true; // cached (files are moved in place only when complete)
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(fileUri(repoId, rev, file)).GET()
                .header("User-Agent", "tailor/0.1");
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        Path tmp = dir.resolve(file + ".part");
        HttpResponse<Path> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofFile(tmp));
        } catch (ConnectException e) {
            throw new UncheckedIOException("Cannot reach " + endpoint + " (offline? set HF_ENDPOINT to a mirror, or "
                    + "import a local folder instead)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while downloading " + file, e);
        }
        int status = resp.statusCode();
        if (status == 200) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
        Files.deleteIfExists(tmp);
        if (status == 404 && !required) {
            return false;
        }
        String hint = switch (status) {
            case 401, 403 -> ": the repo is gated or private; accept its license on the Hub and set HF_TOKEN";
            case 404 -> ": no such repo, revision or file (Tailor needs safetensors weights)";
            default -> "";
        };
        throw new IllegalArgumentException("Hub answered HTTP " + status + " for " + repoId + "/" + file + hint);
    }

}
