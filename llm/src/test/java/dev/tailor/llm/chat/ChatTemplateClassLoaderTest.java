package dev.tailor.llm.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.hubspot.jinjava.Jinjava;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A thread whose context class loader holds its own copy of jinjava (as Quarkus' and other frameworks' worker
 * threads do) must still build and render templates: jinjava's EL loads classes through the context loader.
 */
class ChatTemplateClassLoaderTest {

    /** Child-first for jinjava's classes, like an application class loader of a framework. */
    private static final class OwnJinjavaLoader extends URLClassLoader {
        OwnJinjavaLoader(URL jinjavaJar, ClassLoader parent) {
            super(new URL[] {jinjavaJar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("jinjava.") && !name.startsWith("com.hubspot.jinjava.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    @Test
    void buildsAndRendersOnAThreadWithAForeignContextClassLoader() throws Exception {
        URL jar = Jinjava.class.getProtectionDomain().getCodeSource().getLocation();
        try (var foreign = new OwnJinjavaLoader(jar, ChatTemplate.class.getClassLoader())) {
            assertNotSame(Jinjava.class, foreign.loadClass(Jinjava.class.getName()), "the loader has its own copy");
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    ChatTemplate t = new ChatTemplate(null, Map.of("bos_token", "<s>"));
                    String text = t.render(List.of(new ChatMessage("user", "hi")), true).text();
                    assertSame(foreign, Thread.currentThread().getContextClassLoader(), "context loader restored");
                    outcome.set(text);
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            worker.setContextClassLoader(foreign);
            worker.start();
            worker.join();
            if (outcome.get() instanceof Throwable e) {
                throw new AssertionError("template failed on a foreign context class loader: " + e, e);
            }
            String expected = new ChatTemplate(null, Map.of("bos_token", "<s>"))
                    .render(List.of(new ChatMessage("user", "hi")), true).text();
            assertEquals(expected, outcome.get());
            assertEquals("user: hi\nassistant:", expected);
        }
    }
}
