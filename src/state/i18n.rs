//! Every interface string, in French (default) and English, from this one place.
//! A string is a [`Msg`] key; [`tr`] gives its text in a [`Lang`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

/// Interface string keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Msg {
    Tagline,
    SkipToContent,
    SwitchLanguage,
    Catalogue,
    ChooseDataset,
    OpenFile,
    DropHint,
    UrlLabel,
    UrlOpen,
    PasteLabel,
    PasteOpen,
    Loading,
    Cancel,
    Cancelled,
    Rows,
    Columns,
    Source,
    Licence,
    Vintage,
    Producer,
    RowIs,
    Detected,
    Header,
    NoHeader,
    HeaderLine,
    DecimalComma,
    DecimalDot,
    Separator,
    Encoding,
    Reread,
    Warnings,
    Chart,
    ChartKind,
    Measure,
    Category,
    CountOfRows,
    ChartDataTable,
    Table,
    TableCaption,
    FirstRows,
    Type,
    Key,
    Profile,
    Missing,
    Distinct,
    TopValues,
    Min,
    Max,
    Mean,
    Invalid,
    Close,
    Filters,
    AddFilter,
    RemoveFilter,
    Search,
    SearchAll,
    NullOnly,
    GroupBy,
    Aggregate,
    Export,
    ExportCsv,
    ExportCsvFr,
    ExportPng,
    ExportSvg,
    ErrorTitle,
    PanicMessage,
    FetchFailed,
    LocalFileNotShareable,
    Others,
    Total,
    Documentation,
    Footer,
    RowsMatching,
}

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    let (fr, en) = pair(msg);
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

fn pair(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        Tagline => (
            "Explorer les données publiques de Bercy, directement dans votre navigateur",
            "Explore Bercy's open data, right in your browser",
        ),
        SkipToContent => ("Aller au contenu", "Skip to content"),
        SwitchLanguage => ("English", "Français"),
        Catalogue => ("Jeux de données", "Datasets"),
        ChooseDataset => ("Choisir un jeu de données", "Choose a dataset"),
        OpenFile => ("Ouvrir un fichier CSV", "Open a CSV file"),
        DropHint => (
            "ou déposez un fichier n'importe où sur la page",
            "or drop a file anywhere on the page",
        ),
        UrlLabel => ("Adresse d'un fichier CSV", "Address of a CSV file"),
        UrlOpen => ("Ouvrir l'adresse", "Open address"),
        PasteLabel => ("Coller des données", "Paste data"),
        PasteOpen => ("Lire le texte collé", "Read pasted text"),
        Loading => ("Chargement…", "Loading…"),
        Cancel => ("Annuler", "Cancel"),
        Cancelled => ("Chargement annulé.", "Loading cancelled."),
        Rows => ("lignes", "rows"),
        Columns => ("colonnes", "columns"),
        Source => ("Source", "Source"),
        Licence => ("Licence", "Licence"),
        Vintage => ("Millésime", "Vintage"),
        Producer => ("Producteur", "Producer"),
        RowIs => ("Une ligne", "One row"),
        Detected => ("Détecté", "Detected"),
        Header => ("en-tête ligne", "header on line"),
        NoHeader => ("sans en-tête", "no header"),
        HeaderLine => ("Ligne d'en-tête", "Header line"),
        DecimalComma => ("virgule décimale", "decimal comma"),
        DecimalDot => ("point décimal", "decimal point"),
        Separator => ("séparateur", "delimiter"),
        Encoding => ("Encodage", "Encoding"),
        Reread => ("Relire", "Read again"),
        Warnings => ("Avertissements", "Warnings"),
        Chart => ("Graphique", "Chart"),
        ChartKind => ("Type de graphique", "Chart type"),
        Measure => ("Mesure", "Measure"),
        Category => ("Catégorie", "Category"),
        CountOfRows => ("Nombre de lignes", "Number of rows"),
        ChartDataTable => ("Données du graphique", "Chart data"),
        Table => ("Tableau", "Table"),
        TableCaption => ("Lignes du jeu de données", "Rows of the dataset"),
        FirstRows => ("premières lignes", "first rows"),
        Type => ("Type", "Type"),
        Key => ("Clé", "Key"),
        Profile => ("Profil de la colonne", "Column profile"),
        Missing => ("Manquantes", "Missing"),
        Distinct => ("Distinctes", "Distinct"),
        TopValues => ("Valeurs les plus fréquentes", "Most frequent values"),
        Min => ("Minimum", "Minimum"),
        Max => ("Maximum", "Maximum"),
        Mean => ("Moyenne", "Mean"),
        Invalid => ("Valeurs invalides pour le type", "Values invalid for the type"),
        Close => ("Fermer", "Close"),
        Filters => ("Filtres", "Filters"),
        AddFilter => ("Ajouter un filtre", "Add a filter"),
        RemoveFilter => ("Retirer le filtre", "Remove filter"),
        Search => ("Rechercher", "Search"),
        SearchAll => ("Rechercher dans le texte", "Search the text"),
        NullOnly => ("Valeurs manquantes seulement", "Missing values only"),
        GroupBy => ("Regrouper par", "Group by"),
        Aggregate => ("Calcul", "Aggregate"),
        Export => ("Exporter", "Export"),
        ExportCsv => ("CSV", "CSV"),
        ExportCsvFr => ("CSV Excel (FR)", "CSV Excel (FR)"),
        ExportPng => ("Image PNG", "PNG image"),
        ExportSvg => ("Image SVG", "SVG image"),
        ErrorTitle => ("Erreur", "Error"),
        PanicMessage => (
            "Une erreur interne est survenue. Rechargez la page ; si elle persiste, signalez-la.",
            "An internal error occurred. Reload the page; if it persists, please report it.",
        ),
        FetchFailed => (
            "Le fichier n'a pas pu être téléchargé (le serveur refuse peut-être l'accès depuis une autre origine, ou le réseau est indisponible). Téléchargez-le puis déposez-le ici.",
            "The file could not be fetched (the server may refuse cross-origin access, or the network is down). Download it, then drop it here.",
        ),
        LocalFileNotShareable => (
            "Ce fichier vient de votre ordinateur : un lien ne peut pas le transmettre.",
            "This file comes from your computer: a link cannot carry it.",
        ),
        Others => ("Autres", "Others"),
        Total => ("Total", "Total"),
        Documentation => ("Documentation", "Documentation"),
        Footer => (
            "Loupe fonctionne entièrement dans votre navigateur : aucune donnée ne quitte votre ordinateur.",
            "Loupe runs entirely in your browser: no data leaves your computer.",
        ),
        RowsMatching => ("lignes correspondent", "rows match"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_differ_where_they_should() {
        assert_eq!(tr(Lang::Fr, Msg::Rows), "lignes");
        assert_eq!(tr(Lang::En, Msg::Rows), "rows");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::Fr.other(), Lang::En);
    }
}
