import { renderSVG } from "uqr";

/** `text` as a QR code in an SVG data URI, which an `<img src>` shows as is (uqr: no dependencies, a few KB). */
export const qrSvgDataUri = (text: string): string => `data:image/svg+xml;base64,${Buffer.from(renderSVG(text)).toString("base64")}`;
