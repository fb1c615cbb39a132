#include "emoji_model.h"

#include "client_settings.h"

#include <algorithm>

namespace confab::client {

namespace {

struct CatalogEntry {
    const char16_t* emoji;
    const char* name;
};

// The usual reactions first, then faces, hands, hearts and objects. Names
// follow Unicode's short names, lower case, so a search by name works.
constexpr CatalogEntry kCatalog[] = {
    {u"👍", "thumbs up"},
    {u"❤️", "red heart"},
    {u"😂", "face with tears of joy"},
    {u"🎉", "party popper"},
    {u"😮", "face with open mouth"},
    {u"😢", "crying face"},
    {u"🙏", "folded hands thanks"},
    {u"👀", "eyes"},
    {u"✅", "check mark done"},
    {u"🔥", "fire"},
    {u"👎", "thumbs down"},
    {u"😀", "grinning face"},
    {u"😃", "grinning face with big eyes"},
    {u"😄", "grinning face with smiling eyes"},
    {u"😁", "beaming face"},
    {u"😅", "grinning face with sweat"},
    {u"🤣", "rolling on the floor laughing"},
    {u"🙂", "slightly smiling face"},
    {u"😉", "winking face"},
    {u"😊", "smiling face with smiling eyes"},
    {u"😇", "smiling face with halo"},
    {u"🥰", "smiling face with hearts"},
    {u"😍", "smiling face with heart eyes"},
    {u"😘", "face blowing a kiss"},
    {u"😋", "face savoring food"},
    {u"😜", "winking face with tongue"},
    {u"🤔", "thinking face"},
    {u"🤨", "face with raised eyebrow"},
    {u"😐", "neutral face"},
    {u"😑", "expressionless face"},
    {u"🙄", "face with rolling eyes"},
    {u"😏", "smirking face"},
    {u"😬", "grimacing face"},
    {u"😌", "relieved face"},
    {u"😴", "sleeping face"},
    {u"😷", "face with medical mask"},
    {u"🤒", "face with thermometer sick"},
    {u"🤯", "exploding head"},
    {u"🥳", "partying face"},
    {u"😎", "smiling face with sunglasses cool"},
    {u"🤓", "nerd face"},
    {u"😕", "confused face"},
    {u"😟", "worried face"},
    {u"😲", "astonished face"},
    {u"😳", "flushed face"},
    {u"🥺", "pleading face"},
    {u"😭", "loudly crying face"},
    {u"😱", "face screaming in fear"},
    {u"😤", "face with steam from nose"},
    {u"😡", "pouting face angry"},
    {u"🤝", "handshake"},
    {u"👏", "clapping hands"},
    {u"🙌", "raising hands"},
    {u"👋", "waving hand"},
    {u"✌️", "victory hand"},
    {u"🤞", "crossed fingers"},
    {u"👌", "ok hand"},
    {u"💪", "flexed biceps strong"},
    {u"👉", "backhand index pointing right"},
    {u"☝️", "index pointing up"},
    {u"💯", "hundred points"},
    {u"💔", "broken heart"},
    {u"💙", "blue heart"},
    {u"💚", "green heart"},
    {u"💛", "yellow heart"},
    {u"⭐", "star"},
    {u"✨", "sparkles"},
    {u"⚡", "high voltage"},
    {u"🚀", "rocket"},
    {u"🎂", "birthday cake"},
    {u"🍕", "pizza"},
    {u"☕", "hot beverage coffee"},
    {u"🍺", "beer mug"},
    {u"📌", "pushpin"},
    {u"📎", "paperclip"},
    {u"📅", "calendar"},
    {u"💡", "light bulb idea"},
    {u"🐛", "bug"},
    {u"❌", "cross mark"},
    {u"⚠️", "warning"},
    {u"❓", "question mark"},
    {u"❗", "exclamation mark"},
    {u"➕", "plus"},
    {u"🆗", "ok button"},
};

} // namespace

EmojiModel::EmojiModel(ClientSettings* settings, QObject* parent)
    : QAbstractListModel(parent)
    , m_settings(settings)
    , m_use(settings ? settings->emojiUse() : QHash<QString, int>())
{
    rebuild();
}

int EmojiModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EmojiModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& entry = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case EmojiRole:
        return entry.emoji;
    case NameRole:
        return entry.name;
    case FrequentRole:
        return m_use.value(entry.emoji) > 0;
    default:
        return {};
    }
}

QHash<int, QByteArray> EmojiModel::roleNames() const
{
    return {{EmojiRole, "emoji"}, {NameRole, "name"}, {FrequentRole, "frequent"}};
}

void EmojiModel::setFilter(const QString& filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    emit filterChanged();
    rebuild();
}

void EmojiModel::recordUse(const QString& emoji)
{
    if (emoji.isEmpty())
        return;
    ++m_use[emoji];
    if (m_settings)
        m_settings->setEmojiUse(m_use);
    rebuild();
}

QString EmojiModel::emojiAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).emoji : QString();
}

// A reset, not moves: the list is small and only changes on a pick or a
// new filter, when the picker shows it afresh anyway.
void EmojiModel::rebuild()
{
    const QString needle = m_filter.trimmed();
    QList<Entry> rows;
    for (const CatalogEntry& c : kCatalog) {
        Entry entry{QString::fromUtf16(c.emoji), QString::fromLatin1(c.name)};
        if (needle.isEmpty() || entry.name.contains(needle, Qt::CaseInsensitive) || entry.emoji == needle)
            rows.append(entry);
    }
    // Most picked first; the catalog's order among equals.
    std::stable_sort(rows.begin(), rows.end(), [this](const Entry& a, const Entry& b) {
        return m_use.value(a.emoji) > m_use.value(b.emoji);
    });
    const bool countChanges = rows.size() != m_rows.size();
    beginResetModel();
    m_rows = rows;
    endResetModel();
    if (countChanges)
        emit countChanged();
}

} // namespace confab::client
