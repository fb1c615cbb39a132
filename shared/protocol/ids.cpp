#include "protocol/ids.h"

#include <QString>
#include <cmath>

namespace confab {

namespace {

constexpr qint64 kMaxNumericId = qint64(1) << 53; // largest integer a JSON double holds exactly
constexpr int kMaxIdDigits = 18;                  // always fits in qint64

Id idFromNumber(const QJsonValue& value)
{
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || d < 1 || d > double(kMaxNumericId))
        return 0;
    // toInteger() is exact when the parser kept the literal as an integer, so
    // 2^53 + 1 is not silently rounded down to 2^53.
    const qint64 id = value.toInteger(0);
    return id >= 1 && id <= kMaxNumericId ? id : 0;
}

Id idFromString(const QString& text)
{
    if (text.isEmpty() || text.size() > kMaxIdDigits)
        return 0;
    qint64 id = 0;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return 0;
        id = id * 10 + (c.unicode() - u'0');
    }
    return id;
}

} // namespace

bool parseId(const QJsonValue& value, Id* out)
{
    if (value.isDouble()) {
        *out = idFromNumber(value);
        return true;
    }
    if (value.isString()) {
        *out = idFromString(value.toString());
        return true;
    }
    return false;
}

} // namespace confab
