/**
 * The colours the front door and the browser view of the feeds share, light and dark, as CSS
 * custom properties: one place to change the look of both.
 */
export const PALETTE_CSS = `:root {
  color-scheme: light dark;
  --bg: #f6f4ef;
  --surface: #ffffff;
  --text: #1d1b18;
  --muted: #5a554c;
  --line: #e2ddd2;
  --accent: #b23d0a;
  --accent-soft: #fbeadd;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #131210;
    --surface: #1d1b18;
    --text: #ece8e0;
    --muted: #aaa397;
    --line: #353129;
    --accent: #ff9a57;
    --accent-soft: #3b2415;
  }
}`;
