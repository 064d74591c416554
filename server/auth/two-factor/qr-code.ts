/**
 * An SVG QR code for a TOTP key URI. `qrcode` is imported on first use: it costs about 10 MB
 * of memory and only enrolment pages need it (bench/RESULTS.md, idle RSS).
 */
export async function qrCodeSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
