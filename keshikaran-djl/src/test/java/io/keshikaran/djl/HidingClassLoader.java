package io.keshikaran.djl;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Pretends some dependencies are not on the classpath: classes and resources whose names start with
 * one of the prefixes are not found. Everything else comes from the test's class loader.
 */
final class HidingClassLoader extends ClassLoader {
    private final List<String> hidden;

    HidingClassLoader(String... hiddenPrefixes) {
        super(HidingClassLoader.class.getClassLoader());
        this.hidden = List.of(hiddenPrefixes);
    }

    private boolean isHidden(String name) {
        return hidden.stream().anyMatch(name::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isHidden(name)) {
            throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return isHidden(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isHidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
}
