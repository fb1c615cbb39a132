#pragma once

#include "histogram.h"
#include "proc_stats.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace confab::bench {

// One scenario's figures, printed for people and, with --json, as one JSON
// object: {"scenario", "<section>": {"<key>": value, ...}, "notes": [...]}.
// Latencies are in milliseconds in both.
class Report {
public:
    explicit Report(QString scenario);

    void add(const QString& section, const QString& key, double value, const QString& unit = {});
    void addText(const QString& section, const QString& key, const QString& value);
    // count, mean, p50, p99, p999, max of a microsecond histogram.
    void addLatency(const QString& section, const QString& key, const Histogram& h);
    // The server's CPU seconds and RSS between two samples; nothing when unknown.
    void addServer(const ProcSample& before, const ProcSample& after, double seconds);
    void note(const QString& text);

    QString text() const;
    QByteArray json() const;

private:
    struct Row {
        QString key, human;
    };
    QList<Row>& rows(const QString& section);

    QString m_scenario;
    QJsonObject m_json;
    QList<QPair<QString, QList<Row>>> m_sections;
    QStringList m_notes;
};

} // namespace confab::bench
