package io.keshikaran.apicheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one module as stable, sorted text, compared with a committed baseline
 * ({@code src/test/resources/api/<module>.api}) so that every change to it is deliberate and shows in
 * review. Until a release exists on Maven Central for japicmp to compare against, this is how the
 * published modules track their API (README, "Releasing").
 *
 * <p>The API is every public or protected type, constructor, method and field of the module's main
 * classes ({@code target/classes}) outside {@code internal} packages, with generic signatures,
 * modifiers and declared exceptions, read by reflection. Synthetic and bridge members are left out.
 *
 * <p>Run the module's tests with {@code -Dkeshikaran.api.update=true} to rewrite the baseline after an
 * intended change, and commit the file with it.
 */
public final class ApiBaseline {
    /** The system property that rewrites the baseline instead of comparing with it: {@value}. */
    public static final String UPDATE_PROPERTY = "keshikaran.api.update";

    private ApiBaseline() {
    }

    /**
     * Compares the API of the module whose tests run (the working directory, as under Maven) with its
     * baseline, or rewrites the baseline when {@value #UPDATE_PROPERTY} is {@code true}.
     *
     * @throws AssertionError naming every added and removed line, and how to accept them
     */
    public static void check() {
        Path module = Path.of("").toAbsolutePath();
        String name = module.getFileName().toString();
        Path baseline = module.resolve("src/test/resources/api").resolve(name + ".api");
        List<String> actual = describe(module.resolve("target/classes"));
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(baseline, actual);
            return;
        }
        List<String> expected = read(baseline);
        if (expected.equals(actual)) {
            return;
        }
        Set<String> removed = new LinkedHashSet<>(expected);
        actual.forEach(removed::remove);
        Set<String> added = new LinkedHashSet<>(actual);
        expected.forEach(added::remove);
        StringBuilder message = new StringBuilder("The public API differs from the baseline ").append(baseline)
                .append(" (- removed, + added):\n");
        removed.forEach(line -> message.append("- ").append(line).append('\n'));
        added.forEach(line -> message.append("+ ").append(line).append('\n'));
        message.append("If the change is intended, rewrite the baseline with\n  mvn -pl ")
                .append(name)
                .append(" -am verify -Dtest=ApiBaselineTest -Dsurefire.failIfNoSpecifiedTests=false -D")
                .append(UPDATE_PROPERTY).append("=true\nand commit it; removing or changing a line breaks users.");
        throw new AssertionError(message.toString());
    }

    /**
     * The API of the classes under {@code classes}, one sorted line per type and member.
     *
     * @param classes a folder of compiled classes, such as {@code target/classes}
     * @return the lines of the baseline
     */
    public static List<String> describe(Path classes) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        TreeMap<String, List<String>> types = new TreeMap<>();
        for (String name : classNames(classes)) {
            if (isInternal(name) || name.contains("$")) {
                continue; // nested types are reached through their enclosing type
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("not on the test class path: " + name, e);
            }
            if (Modifier.isPublic(type.getModifiers())) {
                describeType(type, types);
            }
        }
        List<String> lines = new ArrayList<>();
        types.values().forEach(lines::addAll);
        return lines;
    }

    private static void describeType(Class<?> type, TreeMap<String, List<String>> out) {
        List<String> members = new ArrayList<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c) && !c.isSynthetic()) {
                members.add("  " + c.toGenericString());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                members.add("  " + m.toGenericString());
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic()) {
                members.add("  " + f.toGenericString());
            }
        }
        members.sort(null);
        List<String> lines = new ArrayList<>();
        lines.add(header(type));
        lines.addAll(members);
        out.put(type.getName(), lines);
        for (Class<?> nested : type.getDeclaredClasses()) {
            int m = nested.getModifiers();
            if ((Modifier.isPublic(m) || Modifier.isProtected(m)) && !nested.isSynthetic()) {
                describeType(nested, out);
            }
        }
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & Modifier.classModifiers();
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isEnum()) {
            kind = "enum";
            modifiers &= ~(Modifier.FINAL | Modifier.ABSTRACT);
        } else if (type.isRecord()) {
            kind = "record";
            modifiers &= ~Modifier.FINAL;
        } else {
            kind = "class";
        }
        StringBuilder s = new StringBuilder();
        String mods = Modifier.toString(modifiers);
        if (!mods.isEmpty()) {
            s.append(mods).append(' ');
        }
        s.append(kind).append(' ').append(type.getTypeName());
        TypeVariable<?>[] params = type.getTypeParameters();
        if (params.length > 0) {
            s.append(Arrays.stream(params).map(ApiBaseline::typeParameter).collect(Collectors.joining(", ", "<", ">")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            s.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            s.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    private static String typeParameter(TypeVariable<?> v) {
        Type[] bounds = v.getBounds();
        if (bounds.length == 1 && bounds[0] == Object.class) {
            return v.getName();
        }
        return v.getName() + " extends " + Arrays.stream(bounds).map(Type::getTypeName).collect(Collectors.joining(" & "));
    }

    private static boolean visible(Member member) {
        int m = member.getModifiers();
        return Modifier.isPublic(m) || Modifier.isProtected(m);
    }

    private static boolean isInternal(String className) {
        return ("." + className).contains(".internal.");
    }

    private static List<String> classNames(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled classes at " + classes + ": run the tests through Maven");
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace(java.io.File.separatorChar, '.'))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.endsWith("module-info") && !n.endsWith("package-info"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classes, e);
        }
    }

    private static List<String> read(Path baseline) {
        if (!Files.exists(baseline)) {
            throw new AssertionError("No API baseline at " + baseline + ": create it with -D" + UPDATE_PROPERTY
                    + "=true and commit it.");
        }
        try {
            return Files.readAllLines(baseline, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + baseline, e);
        }
    }

    private static void write(Path baseline, List<String> lines) {
        List<String> file = new ArrayList<>();
        file.add("# The public API of this module (ApiBaseline in keshikaran-api's tests). Generated: rewrite it with");
        file.add("# -D" + UPDATE_PROPERTY + "=true after an intended change and review the diff; never edit it by hand.");
        file.addAll(lines);
        try {
            Files.createDirectories(baseline.getParent());
            Files.write(baseline, file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + baseline, e);
        }
    }
}
