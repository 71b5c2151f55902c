import type { Metadata } from "next";
import localFont from "next/font/local";
import "./globals.css";

const inter = localFont({ src: "./inter-latin.woff2", variable: "--font-inter", display: "swap" });

export const metadata: Metadata = {
  title: { default: "Wakeboard", template: "%s · Wakeboard" },
  description: "How much each team really uses AI coding agents.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
