#pragma once

#include <QString>

namespace confab::client {

// Display names are anyone's choice, so two members of a room can go by the
// same one, on purpose or not. Where that happens the client shows
// "@username" beside the name (usernames are unique). "The same" is judged
// on a skeleton of the name, so that what merely looks alike counts too:
//
// - compatibility forms fold to their plain letters (NFKD: fullwidth "Ａ",
//   mathematical "𝐀", ligatures, non-breaking and ideographic spaces);
// - combining marks, format characters (zero-width joiners and spaces, bidi
//   marks, soft hyphens) and variation selectors are dropped, so "Alicé",
//   "Ali\u200Bce" and "Alice" are one name;
// - Cyrillic and Greek letters that look like Latin ones become those
//   letters ("Аlice" with a Cyrillic А is "alice");
// - case is folded, whitespace trimmed and runs of it made one space.
//
// Not folded: digits against letters (0/O, 1/l/I) and letter pairs such as
// "rn"/"m" (doing so would break the case-insensitive comparison or flag too
// many ordinary names). A false match only adds an "@username"; it never
// hides anything.
QString nameSkeleton(const QString& name);

} // namespace confab::client
