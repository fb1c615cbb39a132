#include "base/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <cstdio>

Q_LOGGING_CATEGORY(lcServer, "confab.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "confab.server.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "confab.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMessages, "confab.server.messages", QtInfoMsg)

namespace confab::server {
namespace {

LogFormat g_format = LogFormat::Text;
QMutex g_writeMutex; // the store, hashing and bus threads log too

const char* levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QByteArray line = formatLogLine(g_format, type, context.category, message) + '\n';
    QMutexLocker lock(&g_writeMutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

QByteArray formatLogLine(LogFormat format, QtMsgType type, const char* category, const QString& message)
{
    const QString ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString cat = QString::fromLatin1(category ? category : "default");
    if (format == LogFormat::Json) {
        const QJsonObject event{{QStringLiteral("ts"), ts},
                                {QStringLiteral("level"), QString::fromLatin1(levelName(type))},
                                {QStringLiteral("category"), cat},
                                {QStringLiteral("msg"), message}};
        return QJsonDocument(event).toJson(QJsonDocument::Compact); // escapes newlines
    }
    QString text = message;
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return (ts + QLatin1Char(' ') + QLatin1String(levelName(type)) + QLatin1Char(' ') + cat +
            QLatin1String(": ") + text)
        .toUtf8();
}

void installLogHandler(LogFormat format)
{
    g_format = format;
    qInstallMessageHandler(handler);
}

} // namespace confab::server
