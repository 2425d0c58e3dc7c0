/*
 * The entry script: small (the HTTP client and the endpoint routes, no React), so it runs a
 * moment after the page arrives and starts the page's API calls while the app's far larger
 * script (app/start.tsx, preloaded from index.html) downloads and compiles. On a loaded machine
 * that compile took ~0.5 s, which the first page's data no longer waits behind.
 */
import { firstPageCalls } from "./app/first-page-calls.js";
import { startEarly } from "./app/http.js";
import "./app/styles.css";

startEarly(firstPageCalls(window.location));
void import("./app/start.js");
