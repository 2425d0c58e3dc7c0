// Lint rules for the whole repository. Type-aware linting is left to `tsc` (run first by
// `npm run lint`); eslint catches what the compiler does not.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.gantry/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // The web UI's bundle must not carry zod and the endpoint table's schemas (a third of its
    // first page's script once): at run time it uses `@gantry/contract/browser` (the HTTP client)
    // and the routes generated at build time; types may still come from the main entry.
    files: ["apps/web/src/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        paths: [{
          name: "@gantry/contract",
          allowTypeImports: true,
          message: "the web UI imports only types from @gantry/contract (import type); at run time use @gantry/contract/browser, so zod stays out of the bundle (docs/web-ui.md)",
        }],
      }],
    },
  },
);
