// Checks the runtime classpath Maven resolved for this user's project and reports its size.
def jars = new File(basedir, 'classpath.txt').text.trim().split(File.pathSeparator).collect { new File(it) }
def names = jars.collect { it.name }
['keshikaran-djl-', 'keshikaran-models-onnx-', 'onnxruntime-engine-', 'onnxruntime-1.21.1'].each { p -> assert names.any { it.startsWith(p) } : "missing ${p} in ${names}" }
['keshikaran-models-torchscript', 'pytorch-', 'keshikaran-models-0'].each { p -> assert !names.any { it.startsWith(p) } : "unexpected ${p} in ${names}" }
def mb = jars.sum { it.length() } / 1e6
println String.format('onnx-explicit-versions: %d jars, %.1f MB on the runtime classpath', jars.size(), mb)
new File(basedir, 'classpath-size.txt').text = String.format('%d jars, %.1f MB%n', jars.size(), mb)
return true
