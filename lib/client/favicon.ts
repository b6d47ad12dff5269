const ICON_URL = "/icon.svg";
const SIZE = 64;

let baseIcon: Promise<HTMLImageElement> | null = null;

function loadBaseIcon(): Promise<HTMLImageElement> {
  baseIcon ??= new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => {
      baseIcon = null;
      reject(new Error("The icon could not be loaded"));
    };
    image.src = ICON_URL;
  });
  return baseIcon;
}

/** The app icon with a red dot in its corner, as a PNG data URL. */
export async function iconWithDot(): Promise<string> {
  const image = await loadBaseIcon();
  const canvas = document.createElement("canvas");
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("No 2D canvas");
  context.drawImage(image, 0, 0, SIZE, SIZE);
  context.beginPath();
  context.arc(SIZE * 0.76, SIZE * 0.24, SIZE * 0.2, 0, Math.PI * 2);
  context.fillStyle = "#ef4444";
  context.fill();
  context.lineWidth = SIZE * 0.06;
  context.strokeStyle = "#ffffff";
  context.stroke();
  return canvas.toDataURL("image/png");
}

/** Points every icon link of the page at `href` (the plain icon, or the one with a dot). */
export function setFavicon(href: string | null): void {
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')) link.href = href ?? ICON_URL;
}
