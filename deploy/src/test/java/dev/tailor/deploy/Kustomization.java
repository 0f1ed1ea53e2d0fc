package dev.tailor.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of a kustomization.yaml the tests check: the files and folders it refers to.
 *
 * @param dir        the folder of the kustomization.yaml
 * @param kind       Kustomization or Component
 * @param namespace  the namespace it sets, or null
 * @param resources  resources: files or folders of other kustomizations
 * @param components components: folders of Components
 * @param patches    patch files (patches[].path and patchesStrategicMerge), with their targets
 * @param generated  files that configMapGenerator and secretGenerator entries read
 */
record Kustomization(Path dir, String kind, String namespace, List<Path> resources, List<Path> components,
        List<Patch> patches, List<Path> generated) {

    /** A patch file and the object it targets (kind/name; null when the patch names its target itself). */
    record Patch(Path file, String targetKind, String targetName) {
    }

    @SuppressWarnings("unchecked")
    static Kustomization load(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no kustomization.yaml in " + dir);
        }
        Map<String, Object> y = Repo.yaml(file);
        List<Path> resources = paths(dir, (List<String>) y.getOrDefault("resources", List.of()));
        List<Path> components = paths(dir, (List<String>) y.getOrDefault("components", List.of()));
        List<Patch> patches = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) y.getOrDefault("patches", List.of())) {
            Map<String, Object> target = (Map<String, Object>) p.getOrDefault("target", Map.of());
            if (p.get("path") == null) {
                throw new AssertionError(file + ": inline patches are not checked by the tests; use path:");
            }
            patches.add(new Patch(dir.resolve((String) p.get("path")).normalize(),
                    (String) target.get("kind"), (String) target.get("name")));
        }
        for (String p : (List<String>) y.getOrDefault("patchesStrategicMerge", List.of())) {
            patches.add(new Patch(dir.resolve(p).normalize(), null, null));
        }
        List<Path> generated = new ArrayList<>();
        for (String key : List.of("configMapGenerator", "secretGenerator")) {
            for (Map<String, Object> g : (List<Map<String, Object>>) y.getOrDefault(key, List.of())) {
                for (String f : (List<String>) g.getOrDefault("files", List.of())) {
                    generated.add(dir.resolve(f.contains("=") ? f.substring(f.indexOf('=') + 1) : f).normalize());
                }
            }
        }
        return new Kustomization(dir, (String) y.get("kind"), (String) y.get("namespace"), resources, components,
                patches, generated);
    }

    private static List<Path> paths(Path dir, List<String> entries) {
        return entries.stream().map(e -> dir.resolve(e).normalize()).toList();
    }

    /** Every file this kustomization and the ones it includes list as resources (not patches). */
    List<Path> resourceFilesDeep() {
        List<Path> out = new ArrayList<>();
        for (Path r : resources) {
            if (Files.isDirectory(r)) {
                out.addAll(load(r).resourceFilesDeep());
            } else {
                out.add(r);
            }
        }
        for (Path c : components) {
            out.addAll(load(c).resourceFilesDeep());
        }
        return out;
    }

    /** Every patch of this kustomization and of those it includes. */
    List<Patch> patchesDeep() {
        List<Patch> out = new ArrayList<>(patches);
        for (Path r : resources) {
            if (Files.isDirectory(r)) {
                out.addAll(load(r).patchesDeep());
            }
        }
        for (Path c : components) {
            out.addAll(load(c).patchesDeep());
        }
        return out;
    }
}
