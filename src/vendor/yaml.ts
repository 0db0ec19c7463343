/**
 * The `yaml` package, imported through here. In the build, dist/vendor/yaml.js is replaced by
 * the package's own ES module build bundled into one file (scripts/bundle-vendor.mjs): Node
 * then loads one module instead of 72, which takes about 10 ms instead of 35 on our machines,
 * for every command that reads YAML. Tests run this re-export of the package itself.
 */
export * from 'yaml';
