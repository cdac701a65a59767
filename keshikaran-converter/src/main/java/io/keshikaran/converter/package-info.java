/**
 * Converts TensorFlow.js <em>layers</em> models (Keras topologies) and <em>graph</em> models (TensorFlow GraphDefs
 * with fused ops), with uint8-quantized weights as shipped in the npm package {@code nsfwjs}, to ONNX, in pure Java.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link io.keshikaran.converter.NpmPackage} reads the npm tarball (or an extracted package);</li>
 *   <li>{@link io.keshikaran.converter.TfjsArtifacts} reads a model's JSON and decodes its weights exactly as tfjs
 *       would;</li>
 *   <li>{@link io.keshikaran.converter.TfjsLayersModel} and {@link io.keshikaran.converter.TfjsGraphModel} interpret
 *       the topology;</li>
 *   <li>{@link io.keshikaran.converter.TfjsToOnnxConverter} turns either into an ONNX {@code ModelProto};</li>
 *   <li>{@link io.keshikaran.converter.NsfwjsModels} converts the bundled nsfwjs models and writes the
 *       {@code keshikaran-model.json} descriptors;</li>
 *   <li>{@link io.keshikaran.converter.Main} is the command line.</li>
 * </ul>
 *
 * <p>The converter is strict: any layer type, op, attribute value or weight it does not understand makes it fail
 * with a {@link io.keshikaran.converter.UnsupportedModelException} or
 * {@link io.keshikaran.converter.ModelFormatException} naming the layer or node, rather than produce a graph that
 * computes something slightly different.
 */
package io.keshikaran.converter;
