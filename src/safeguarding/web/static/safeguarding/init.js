// Starts GOV.UK Frontend's components. Kept in a file, not inline, so that the
// Content Security Policy can forbid inline scripts.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
