#pragma once

#include <QString>

// File names from other people (issue 16): a file's `name` is data chosen by
// whoever uploaded it and may be "../../.bashrc", "CON", "a\u202Egnp.exe" or
// 300 characters long. These functions turn it into one plain file name that
// stays inside the folder the user chose, and show sizes to people.
namespace confab::client::files {

// Longest name produced, in UTF-8 bytes: ext4 and most file systems allow
// 255, and uniqueIn() may still add " (9999)".
inline constexpr int kMaxNameBytes = 200;

// A single file name (never a path) for `name`: path components "." and ".."
// and empty ones dropped, the rest joined with "_"; control and invisible
// format characters (bidi overrides) removed; characters Windows forbids
// replaced with "_"; leading dots and spaces (hidden files) and trailing dots
// and spaces removed; Windows device names (CON, NUL, COM1, ... with any
// extension) prefixed with "_"; cut to kMaxNameBytes keeping the extension;
// "file" when nothing is left.
QString safeFileName(const QString& name);

// `name` if no file (or dangling symlink) of that name is in `folder`, else
// "stem (2).ext", "stem (3).ext", ... (".tar.gz" and similar stay whole).
// Empty when 9999 are taken. `name` must already be safe.
QString uniqueIn(const QString& folder, const QString& name);

// The absolute path where `name` (any hostile string) is saved in `folder`:
// safe, unique, and checked to be directly inside `folder`. Empty on failure.
QString savePathIn(const QString& folder, const QString& name);

// A short mark for a file card's icon, from the extension of the (safe)
// name, else the mime's subtype: "PDF", "ZIP", "PNG", "TXT"; at most 4
// letters, "FILE" when nothing fits.
QString typeBadge(const QString& mime, const QString& name);

// Whether handing a file to the desktop's opener is harmless: not a type
// that runs (programs, scripts, .desktop launchers, installers), by its
// declared mime or its name's extension, whichever says "program".
bool isSafeToOpen(const QString& name, const QString& mime);

// "512 bytes", "1.4 KB", "23.8 MB" (decimal units, as file managers show).
QString humanSize(qint64 bytes);

} // namespace confab::client::files
