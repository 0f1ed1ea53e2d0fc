package dev.tailor.common.io;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Config key {@code tailor.tmp.dir}: this process's temporary folder ({@link ProcessTemp}), so that settings can
 * default to {@code ${tailor.tmp.dir}/<service>}. Lowest priority: a set value wins. The folder is made on first read.
 */
public final class TempDirConfigSource implements ConfigSource {

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(ProcessTemp.PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(ProcessTemp.PROPERTY, getValue(ProcessTemp.PROPERTY));
    }

    @Override
    public String getValue(String propertyName) {
        return ProcessTemp.PROPERTY.equals(propertyName) ? ProcessTemp.dir().toString() : null;
    }

    @Override
    public String getName() {
        return "tailor-process-temp";
    }

    @Override
    public int getOrdinal() {
        return 10;
    }
}
