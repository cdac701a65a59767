package io.keshikaran.djl;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A process that ran a classifier on ONNX Runtime leaves nothing in its temporary folder. */
class NativeTempFoldersTest {

    /** Child process: classifies one image on ONNX Runtime and exits. */
    public static void main(String[] args) throws Exception {
        try (Classifier c = Classifier.builder().optModel("mobilenet_v2").optEngine("onnxruntime").build()) {
            System.out.println(c.classify(Path.of(args[0])).score());
        }
    }

    @Test
    void onnxRuntimeLeavesNoTemporaryFolderBehind(@TempDir Path tmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                NativeTempFoldersTest.class.getName(), Fixtures.image("dog.jpg").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("..").resolve(tmp.getFileName() + ".log").toFile())
                .start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> names = left.map(f -> f.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.startsWith("onnxruntime-java"));
        }
    }
}
