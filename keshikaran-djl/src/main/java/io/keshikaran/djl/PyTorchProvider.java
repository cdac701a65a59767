package io.keshikaran.djl;

import java.util.Map;

/**
 * Runs TorchScript models on DJL's PyTorch engine. Needs {@code ai.djl.pytorch:pytorch-engine},
 * {@code ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0} and
 * {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64} on the classpath.
 */
public final class PyTorchProvider extends DjlClassifierProvider {
    /** This engine's name: {@value}. */
    public static final String NAME = "pytorch";

    @Override
    public String engineName() {
        return NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    String djlEngineName() {
        return "PyTorch";
    }

    @Override
    String engineMarkerClass() {
        return "ai.djl.pytorch.engine.PtEngineProvider";
    }

    @Override
    String formatKey() {
        return "torchscript";
    }

    @Override
    String fileExtension() {
        return ".pt";
    }

    @Override
    String dependencyHint() {
        return "ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and "
                + "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64";
    }

    @Override
    Map<String, String> loadOptions(int intraOpThreads) {
        return Map.of();
    }
}
