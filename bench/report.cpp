#include "report.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace confab::bench {

Report::Report(QString scenario)
    : m_scenario(std::move(scenario))
{
    m_json.insert(QStringLiteral("scenario"), m_scenario);
}

QList<Report::Row>& Report::rows(const QString& section)
{
    for (auto& s : m_sections)
        if (s.first == section)
            return s.second;
    m_sections.append({section, {}});
    return m_sections.last().second;
}

static void putIn(QJsonObject& root, const QString& section, const QString& key, const QJsonValue& v)
{
    QJsonObject s = root.value(section).toObject();
    s.insert(key, v);
    root.insert(section, s);
}

void Report::add(const QString& section, const QString& key, double value, const QString& unit)
{
    putIn(m_json, section, key, value);
    const bool integral = value == double(qint64(value));
    const QString shown = integral ? QString::number(qint64(value)) : QString::number(value, 'f', 2);
    rows(section).append({key, unit.isEmpty() ? shown : shown + QLatin1Char(' ') + unit});
}

void Report::addText(const QString& section, const QString& key, const QString& value)
{
    putIn(m_json, section, key, value);
    rows(section).append({key, value});
}

void Report::addLatency(const QString& section, const QString& key, const Histogram& h)
{
    auto ms = [](std::int64_t us) { return double(us) / 1000.0; };
    QJsonObject o{
        {QStringLiteral("count"), double(h.count())},    {QStringLiteral("meanMs"), h.mean() / 1000.0},
        {QStringLiteral("p50Ms"), ms(h.quantile(0.50))}, {QStringLiteral("p95Ms"), ms(h.quantile(0.95))},
        {QStringLiteral("p99Ms"), ms(h.quantile(0.99))}, {QStringLiteral("p999Ms"), ms(h.quantile(0.999))},
        {QStringLiteral("maxMs"), ms(h.max())}};
    putIn(m_json, section, key, o);
    rows(section).append({key, QStringLiteral("p50 %1 ms  p95 %2  p99 %3  p99.9 %4  max %5  (n=%6)")
                                   .arg(ms(h.quantile(0.50)), 0, 'f', 3)
                                   .arg(ms(h.quantile(0.95)), 0, 'f', 3)
                                   .arg(ms(h.quantile(0.99)), 0, 'f', 3)
                                   .arg(ms(h.quantile(0.999)), 0, 'f', 3)
                                   .arg(ms(h.max()), 0, 'f', 3)
                                   .arg(h.count())});
}

void Report::addServer(const ProcSample& before, const ProcSample& after, double seconds)
{
    if (!before.valid || !after.valid) {
        note(QStringLiteral("server CPU/RSS unknown: pass --server-pid PID (or --spawn)"));
        return;
    }
    const double cpu = after.cpuSeconds - before.cpuSeconds;
    add(QStringLiteral("server"), QStringLiteral("cpuSeconds"), cpu, QStringLiteral("s"));
    if (seconds > 0)
        add(QStringLiteral("server"), QStringLiteral("cpuCores"), cpu / seconds,
            QStringLiteral("cores busy"));
    add(QStringLiteral("server"), QStringLiteral("rssBeforeKiB"), double(before.rssKiB),
        QStringLiteral("KiB"));
    add(QStringLiteral("server"), QStringLiteral("rssAfterKiB"), double(after.rssKiB), QStringLiteral("KiB"));
}

void Report::note(const QString& text)
{
    m_notes.append(text);
}

QString Report::text() const
{
    QString out = QStringLiteral("== confab-bench %1\n").arg(m_scenario);
    for (const auto& [section, list] : m_sections) {
        out += section + QLatin1String(":\n");
        for (const Row& r : list)
            out += QStringLiteral("  %1: %2\n").arg(r.key, -22).arg(r.human);
    }
    for (const QString& n : m_notes)
        out += QLatin1String("note: ") + n + QLatin1Char('\n');
    return out;
}

QByteArray Report::json() const
{
    QJsonObject o = m_json;
    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(m_notes));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace confab::bench
