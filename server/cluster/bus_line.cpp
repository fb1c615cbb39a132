#include "cluster/bus_line.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSysInfo>

namespace confab::server::cluster {
namespace {

QString idList(const QList<Id>& ids)
{
    if (ids.isEmpty())
        return QStringLiteral("-");
    QStringList parts;
    parts.reserve(ids.size());
    for (Id id : ids)
        parts.append(QString::number(id));
    return parts.join(QLatin1Char(','));
}

bool parseIdList(QStringView text, QList<Id>* out)
{
    out->clear();
    if (text == u"-")
        return true;
    for (QStringView item : text.split(u',')) {
        bool ok = false;
        const Id id = item.toLongLong(&ok);
        if (!ok || id <= 0)
            return false;
        out->append(id);
    }
    return true;
}

} // namespace

QString BusLine::encode() const
{
    switch (kind) {
    case Kind::Changes:
        return QStringLiteral("c %1").arg(origin);
    case Kind::Typing:
        return QStringLiteral("t %1 %2 %3 %4").arg(origin).arg(roomId).arg(userId).arg(flag ? 1 : 0);
    case Kind::Presence:
        return QStringLiteral("p %1 %2 %3 %4").arg(origin).arg(userId).arg(flag ? 1 : 0).arg(at);
    case Kind::Heartbeat:
        return QStringLiteral("hb %1").arg(origin);
    case Kind::Hello:
        return QStringLiteral("hello %1").arg(origin);
    case Kind::Snapshot:
        return QStringLiteral("s %1 %2 %3 %4 %5")
            .arg(origin)
            .arg(serial)
            .arg(part)
            .arg(parts)
            .arg(idList(userIds));
    case Kind::Bye:
        return QStringLiteral("bye %1").arg(origin);
    }
    return {};
}

std::optional<BusLine> BusLine::decode(QStringView text)
{
    const QList<QStringView> f = text.split(u' ', Qt::SkipEmptyParts);
    if (f.size() < 2)
        return std::nullopt;
    BusLine line;
    line.origin = f[1].toString();
    bool ok = true;
    auto number = [&ok](QStringView s) {
        bool good = false;
        const qint64 v = s.toLongLong(&good);
        ok = ok && good;
        return v;
    };
    auto flag = [&ok](QStringView s) {
        ok = ok && (s == u"0" || s == u"1");
        return s == u"1";
    };
    const QStringView kind = f[0];
    if (kind == u"c" && f.size() == 2) {
        line.kind = Kind::Changes;
    } else if (kind == u"t" && f.size() == 5) {
        line.kind = Kind::Typing;
        line.roomId = number(f[2]);
        line.userId = number(f[3]);
        line.flag = flag(f[4]);
    } else if (kind == u"p" && f.size() == 5) {
        line.kind = Kind::Presence;
        line.userId = number(f[2]);
        line.flag = flag(f[3]);
        line.at = number(f[4]);
    } else if (kind == u"hb" && f.size() == 2) {
        line.kind = Kind::Heartbeat;
    } else if (kind == u"hello" && f.size() == 2) {
        line.kind = Kind::Hello;
    } else if (kind == u"bye" && f.size() == 2) {
        line.kind = Kind::Bye;
    } else if (kind == u"s" && f.size() == 6) {
        line.kind = Kind::Snapshot;
        line.serial = quint64(number(f[2]));
        line.part = int(number(f[3]));
        line.parts = int(number(f[4]));
        ok = ok && line.part >= 1 && line.part <= line.parts && parseIdList(f[5], &line.userIds);
    } else {
        return std::nullopt;
    }
    if (!ok)
        return std::nullopt;
    return line;
}

BusLine BusLine::changes(const QString& origin)
{
    return make(Kind::Changes, origin);
}

BusLine BusLine::typing(const QString& origin, Id roomId, Id userId, bool isTyping)
{
    BusLine line = make(Kind::Typing, origin);
    line.roomId = roomId;
    line.userId = userId;
    line.flag = isTyping;
    return line;
}

BusLine BusLine::presence(const QString& origin, Id userId, bool online, qint64 at)
{
    BusLine line = make(Kind::Presence, origin);
    line.userId = userId;
    line.flag = online;
    line.at = at;
    return line;
}

BusLine BusLine::heartbeat(const QString& origin)
{
    return make(Kind::Heartbeat, origin);
}

BusLine BusLine::hello(const QString& origin)
{
    return make(Kind::Hello, origin);
}

BusLine BusLine::bye(const QString& origin)
{
    return make(Kind::Bye, origin);
}

QList<BusLine> BusLine::snapshot(const QString& origin, quint64 serial, const QList<Id>& userIds,
                                 int maxLineBytes)
{
    // An id is at most 19 digits and a comma; the header well under 100 bytes.
    const int perLine = qMax(1, (maxLineBytes - 100) / 20);
    QList<BusLine> lines;
    for (qsizetype at = 0; at < userIds.size() || lines.isEmpty(); at += perLine) {
        BusLine line = make(Kind::Snapshot, origin);
        line.serial = serial;
        line.userIds = userIds.mid(at, perLine);
        lines.append(line);
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        lines[i].part = int(i + 1);
        lines[i].parts = int(lines.size());
    }
    return lines;
}

QStringList packPayloads(const QStringList& encodedLines, int maxBytes)
{
    QStringList payloads;
    QString current;
    int currentBytes = 0;
    for (const QString& line : encodedLines) {
        const int bytes = int(line.toUtf8().size()) + 1; // ASCII in practice
        if (!current.isEmpty() && currentBytes + bytes > maxBytes) {
            payloads.append(current);
            current.clear();
            currentBytes = 0;
        }
        if (!current.isEmpty())
            current += QLatin1Char('\n');
        current += line;
        currentBytes += bytes;
    }
    if (!current.isEmpty())
        payloads.append(current);
    return payloads;
}

QList<BusLine> unpackPayload(const QString& payload)
{
    QList<BusLine> lines;
    for (QStringView text : QStringView(payload).split(u'\n', Qt::SkipEmptyParts)) {
        if (auto line = BusLine::decode(text))
            lines.append(*line);
    }
    return lines;
}

QString makeOrigin()
{
    QString host = QSysInfo::machineHostName();
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    if (host.isEmpty())
        host = QStringLiteral("host");
    return QStringLiteral("%1-%2-%3")
        .arg(host.left(40))
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

} // namespace confab::server::cluster
