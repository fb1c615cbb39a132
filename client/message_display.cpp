#include "message_display.h"

namespace confab::client::display {

QString content(const QString& text)
{
    return text.contains(QLatin1String("\r\n"))
               ? QString(text).replace(QLatin1String("\r\n"), QLatin1String("\n"))
               : text;
}

QVariantList mentions(const Message& message)
{
    const QString& text = message.content;
    const bool crlf = text.contains(QLatin1String("\r\n"));
    const auto shift = [&text, crlf](int index) {
        int pairs = 0;
        for (int i = 1; crlf && i < index && i < text.size(); ++i)
            pairs += text.at(i) == QLatin1Char('\n') && text.at(i - 1) == QLatin1Char('\r') ? 1 : 0;
        return index - pairs;
    };
    QVariantList list;
    list.reserve(message.mentions.size());
    for (const Mention& m : message.mentions) {
        list.append(QVariantMap{{QStringLiteral("userId"), double(m.userId)},
                                {QStringLiteral("indexStart"), shift(m.indexStart)},
                                {QStringLiteral("indexEnd"), shift(m.indexEnd)}});
    }
    return list;
}

} // namespace confab::client::display
