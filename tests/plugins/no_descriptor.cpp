// Broken on purpose: a shared library that is not an optbench plugin.
extern "C" __attribute__((visibility("default"))) int not_a_plugin() { return 42; }
