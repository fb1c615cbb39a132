#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class ClientSettings;

// The emoji picker's list: a small built-in set of common emoji with their
// English names, the ones this profile picked most often first, filtered by
// name ("thumb" finds 👍). Use counts persist in the profile's settings.
class EmojiModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.composer.emoji")
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        EmojiRole = Qt::UserRole + 1,
        NameRole,     // "thumbs up"
        FrequentRole, // bool: picked before by this profile
    };
    Q_ENUM(Role)

    explicit EmojiModel(ClientSettings* settings, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    // Counts a pick (a reaction, an emoji put in a message): it moves up.
    Q_INVOKABLE void recordUse(const QString& emoji);
    Q_INVOKABLE QString emojiAt(int row) const;

signals:
    void filterChanged();
    void countChanged();

private:
    struct Entry {
        QString emoji;
        QString name;
    };
    void rebuild();

    ClientSettings* m_settings;
    QHash<QString, int> m_use;
    QString m_filter;
    QList<Entry> m_rows;
};

} // namespace confab::client
