// electron-builder's beforeBuild hook: resolving to false means node_modules
// are handled outside electron-builder, so it neither rebuilds nor packages
// any. esbuild already bundled everything main.cjs and preload.cjs load
// except electron itself (test/unit/packaging/packaged-app.test.ts checks both).
module.exports = () => false;
