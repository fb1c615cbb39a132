#pragma once

#include "protocol/types.h"

#include <QString>
#include <QVariantList>

// How message content is handed to the views, shared by the message models.
namespace confab::client::display {

// A TextEdit (QTextDocument) turns "\r\n" into one paragraph break. The
// content role says "\n" there and the mention spans shift to match, so they
// index what the TextEdit shows.
QString content(const QString& text);
// The message's mentions as [{userId, indexStart, indexEnd}] in the indices
// of content() above.
QVariantList mentions(const Message& message);

} // namespace confab::client::display
