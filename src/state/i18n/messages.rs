//! The interface strings, panel by panel: `Key => ("français", "English"),`.
//!
//! French typography as in the rest of the page: a space before `:` and `;`, guillemets
//! « » with spaces inside; English has none of these. Templates number their values `{0}`,
//! `{1}`, … (see [`super::trf`]); both languages use the same placeholders.

messages! {
    // ── Page: header, skip link, alerts, footer ──────────────────────────────────────
    Tagline => (
        "Explorer les données publiques de Bercy, directement dans votre navigateur",
        "Explore Bercy's open data, right in your browser",
    ),
    SkipToContent => ("Aller au contenu", "Skip to content"),
    SwitchLanguage => ("English", "Français"),
    /// Label of the persona switch (the profiles of use).
    PersonaSwitch => ("Profil", "Profile"),
    ErrorTitle => ("Erreur", "Error"),
    PanicMessage => (
        "Une erreur interne est survenue. Rechargez la page ; si elle persiste, signalez-la.",
        "An internal error occurred. Reload the page; if it persists, please report it.",
    ),
    /// `{0}`: what the link held that could not be used.
    UrlPartlyRead => ("Lien partiellement lu : {0}", "Link partly read: {0}"),
    /// Between the items of a list in a sentence.
    ListSeparator => (" ; ", "; "),
    SeeDataRows => ("Voir les données ligne à ligne", "See the data row by row"),
    ApiDocs => (
        "Documentation de l'API JavaScript (window.loupe)",
        "JavaScript API documentation (window.loupe)",
    ),
    Footer => (
        "Loupe fonctionne entièrement dans votre navigateur : aucune donnée ne quitte votre ordinateur.",
        "Loupe runs entirely in your browser: no data leaves your computer.",
    ),
    /// `{0}`: the version; followed by a link to the provenance file.
    FooterLicence => (
        "Loupe {0} — données : Licence Ouverte / Open Licence (Etalab) sauf mention contraire ; voir ",
        "Loupe {0} — data: Licence Ouverte / Open Licence (Etalab) unless stated otherwise; see ",
    ),

    // ── Shared formats ────────────────────────────────────────────────────────────────
    /// A label and its value: `{0}`: label, `{1}`: value.
    LabelValue => ("{0} : {1}", "{0}: {1}"),
    /// A label introducing what follows (buttons, a list).
    LabelColon => ("{0} :", "{0}:"),

    // ── Data in: catalogue, file, address, paste, progress ──────────────────────────
    Catalogue => ("Jeux de données", "Datasets"),
    ChooseDataset => ("Choisir un jeu de données", "Choose a dataset"),
    OpenFile => ("Ouvrir un fichier CSV", "Open a CSV file"),
    /// The button of the file picker (the browser's own button would follow its language).
    Browse => ("Parcourir…", "Browse…"),
    DropHint => (
        "ou déposez un fichier n'importe où sur la page",
        "or drop a file anywhere on the page",
    ),
    UrlLabel => ("Adresse d'un fichier CSV", "Address of a CSV file"),
    UrlPlaceholder => ("https://…/fichier.csv", "https://…/file.csv"),
    UrlOpen => ("Ouvrir l'adresse", "Open address"),
    PasteLabel => ("Coller des données", "Paste data"),
    PasteOpen => ("Lire le texte collé", "Read pasted text"),
    /// The name of pasted data, where a file would show its name.
    PastedText => ("Texte collé", "Pasted text"),
    Loading => ("Chargement…", "Loading…"),
    /// `{0}`, `{1}`: megabytes read and in all; `{2}`: rows read.
    Cancel => ("Annuler", "Cancel"),
    Cancelled => ("Chargement annulé.", "Loading cancelled."),
    NothingToReread => ("Rien à relire.", "Nothing to read again."),
    /// `{0}`: the address.
    NetworkFailed => (
        "Le réseau n'a pas permis d'atteindre {0} : vérifiez votre connexion, puis réessayez.",
        "The network could not reach {0}: check your connection, then try again.",
    ),
    /// `{0}`: the address.
    CorsRefused => (
        "Le serveur de {0} répond, mais n'autorise pas une autre page à lire ce fichier (CORS). Téléchargez-le, puis déposez-le ici.",
        "The server of {0} answers, but does not let another page read this file (CORS). Download it, then drop it here.",
    ),
    /// `{0}`: the HTTP status (`404 Not Found`); `{1}`: the address.
    HttpFailed => (
        "Le serveur a répondu « {0} » pour {1}.",
        "The server answered \"{0}\" for {1}.",
    ),
    /// `{0}`: the file's size; `{1}`: the limit (both with their unit).
    LocalTooBig => (
        "Ce fichier fait {0} : Loupe ouvre au plus {1} dans un navigateur (sa mémoire est limitée à 4 Go). Ouvrez un extrait plus petit (moins de lignes ou de colonnes), ou découpez le fichier.",
        "This file is {0}: Loupe opens at most {1} in a browser (its memory is limited to 4 GB). Open a smaller extract (fewer rows or columns), or split the file.",
    ),
    /// `{0}`: the address; `{1}`: the limit.
    RemoteTooBig => (
        "Le fichier de {0} dépasse {1}, le plus que Loupe télécharge : ouvrez un extrait plus petit.",
        "The file at {0} is over {1}, the most Loupe downloads: open a smaller extract.",
    ),
    /// `{0}`: where the bytes came from; `{1}`: what they are ("une page web (HTML)").
    NotCsvContent => (
        "{0} contient {1}, pas un fichier CSV : vérifiez l'adresse ou le fichier choisi.",
        "{0} holds {1}, not a CSV file: check the address or the file you chose.",
    ),
    /// `{0}`: the browser's reason.
    LocalReadFailed => (
        "Le fichier n'a pas pu être lu sur votre disque ({0}) : vérifiez qu'il existe encore et que vous pouvez l'ouvrir.",
        "The file could not be read from your disk ({0}): check that it still exists and that you can open it.",
    ),
    ApiUrlHeading => (
        "Appel de l'API du portail qui calcule ce graphique",
        "The portal API call that computes this chart",
    ),
    ApiUrlWithoutOthers => (
        "sans la ligne « Autres », que Loupe calcule",
        "without the \"Autres\" row, which Loupe computes",
    ),
    /// `{0}`: why no single call is exact.
    ApiUrlInexact => (
        "Aucun appel unique de l'API ne calcule exactement ces chiffres : {0}",
        "No single API call computes these figures exactly: {0}",
    ),
    ApiUrlJoined => (
        "la jointure avec la table de référence est faite dans votre navigateur, pas par le portail",
        "the join with the reference table is made in your browser, not by the portal",
    ),
    ApiUrlMap => (
        "la carte rapproche les codes de leurs territoires dans votre navigateur (« 1 » devient « 01 », les communes sont regroupées par département ou par région, les codes sans territoire sont écartés) ; un appel groupé par code ne donne pas les mêmes lignes",
        "the map matches the codes to their areas in your browser (\"1\" becomes \"01\", communes are rolled up to départements or régions, codes without an area are left out); a call grouped by code does not give the same rows",
    ),
    ApiUrlHistogram => (
        "l'histogramme répartit en classes, dans votre navigateur, les valeurs des lignes filtrées ; l'export des lignes filtrées donne ces valeurs, pas les classes",
        "the histogram sorts the values of the filtered rows into bins in your browser; the export of the filtered rows gives those values, not the bins",
    ),
    /// `{0}`: the most points a scatter plot draws.
    ApiUrlScatter => (
        "le nuage de points place les lignes filtrées dans votre navigateur, et au-delà de {0} points il n'en garde qu'un échantillon régulier ; l'export des lignes filtrées donne toutes ces lignes",
        "the scatter plot places the filtered rows in your browser, and past {0} points it keeps only an even sample of them; the export of the filtered rows gives all of those rows",
    ),
    ApiExportRows => ("Les lignes filtrées (CSV) :", "The filtered rows (CSV):"),
    /// `{0}`: the portal's host.
    PortalSource => ("Portail : {0}", "Portal: {0}"),
    /// `{0}`: the portal's host.
    PortalSearchLabel => (
        "Chercher un jeu de données sur {0}",
        "Search a dataset on {0}",
    ),
    /// `{0}`: datasets found; `{1}`: shown.
    PortalFound => ("{0} jeux de données trouvés, {1} affichés", "{0} datasets found, {1} shown"),
    /// `{0}`: a date.
    PortalModified => ("modifié le {0}", "modified {0}"),
    /// Before the links to the portal's page and API of the dataset.
    DocPortalNote => (
        "Documentation : métadonnées du portail, ",
        "Documentation: the portal's metadata, ",
    ),
    DocKeywords => ("Mots-clés", "Keywords"),
    DocThemes => ("Thèmes", "Themes"),
    /// `{0}`: the portal's host; `{1}`: the dataset id.
    PortalUnknownDataset => (
        "Le portail {0} ne connaît pas le jeu de données « {1} » : vérifiez l'adresse, ou cherchez-le dans le portail.",
        "The portal {0} has no dataset \"{1}\": check the address, or search the portal.",
    ),
    /// `{0}`: the portal's host; `{1}`: when the quota resets.
    PortalQuota => (
        "Le portail {0} refuse de nouveaux appels : quota dépassé jusqu'au {1}. Réessayez après cette heure.",
        "The portal {0} refuses more calls: quota exceeded until {1}. Try again after that time.",
    ),
    /// `{0}`: the portal's host.
    PortalNotApi => (
        "{0} n'a pas répondu comme un portail Opendatasoft (API Explore v2.1) : vérifiez l'adresse.",
        "{0} did not answer as an Opendatasoft portal (Explore API v2.1): check the address.",
    ),
    /// `{0}`: the reference table; `{1}`: why it failed.
    JoinLinkFailed => (
        "La jointure du lien avec « {0} » n'a pas pu être faite : {1}",
        "The link's join with \"{0}\" could not be made: {1}",
    ),

    // ── What is open: title, source, counts, ingest report ───────────────────────────
    Rows => ("lignes", "rows"),
    /// The engine badge of a portal dataset computed by its portal.
    EnginePortal => ("calculé par le portail", "computed by the portal"),
    /// The engine badge of a portal dataset downloaded into the page.
    EngineBrowser => ("calculé dans votre navigateur", "computed in your browser"),
    /// Button: switch a portal dataset to the portal engine.
    UsePortalEngine => ("Faire calculer par le portail", "Let the portal compute"),
    /// Button: switch a portal dataset to the browser engine; `{0}`: its record count.
    UseBrowserEngine => (
        "Tout télécharger ({0} lignes) et calculer ici",
        "Download everything ({0} rows) and compute here"
    ),
    /// Explains the portal engine.
    EnginePortalHelp => (
        "Le jeu reste sur le portail : chaque chiffre est calculé par son API (les liens « API » le montrent). Seules les 100 premières lignes sont dans la page, pour reconnaître les colonnes.",
        "The dataset stays on the portal: every figure is computed by its API (the \"API\" links show how). Only the first 100 rows are in the page, to recognise the columns."
    ),
    /// A histogram or scatter plot of the portal engine that shows the first rows; `{0}`: how many.
    PortalFirstRows => (
        "Ce graphique montre les {0} premières lignes seulement : le portail ne donne pas d'échantillon réparti sur tout le jeu (« Tout télécharger et calculer ici » le fait).",
        "This chart shows the first {0} rows only: the portal gives no sample spread over the whole dataset (\"Download everything and compute here\" does)."
    ),
    /// While the portal computes a figure.
    PortalComputing => ("Calcul par le portail…", "The portal is computing…"),
    WorkerComputing => ("Calcul en cours…", "Computing…"),
    /// The button offered while a view takes long to compute.
    StopQuery => ("Arrêter", "Stop"),
    /// What it does (the button's description).
    StopQueryHint => ("revient à la vue précédente", "goes back to the previous view"),
    TooBigForMemory => (
        "Ce fichier demanderait environ {0} de mémoire : choisissez ce qu'il faut charger.",
        "This file would need about {0} of memory: choose what to load."
    ),
    ChoiceHeading => ("Ce fichier est trop gros pour la mémoire de cet appareil", "This file is too big for this device's memory"),
    ChoiceIntro => (
        "« {0} » ({1}) demanderait environ {2} de mémoire ; Loupe peut en utiliser {3} ici. Chargez une partie du fichier :",
        "\"{0}\" ({1}) would need about {2} of memory; Loupe can use {3} here. Load part of the file:"
    ),
    ChoiceColumns => ("Seulement certaines colonnes", "Only some columns"),
    ChoiceColumnsTotal => ("Colonnes choisies : environ {0} sur {1} possibles", "Chosen columns: about {0} of {1} available"),
    ChoiceFilter => ("Seulement les lignes où", "Only the rows where"),
    ChoiceFilterHelp => (
        "La taille dépend du nombre de lignes retenues ; le filtre est appliqué pendant la lecture.",
        "The size depends on how many rows match; the filter is applied while reading."
    ),
    ChoiceSample => ("Un échantillon : une ligne sur {0}", "A sample: one row in {0}"),
    ChoiceSampleSize => ("environ {0} lignes, {1}", "about {0} rows, {1}"),
    ChoiceLoad => ("Charger", "Load"),
    OpEquals => ("est égal à", "equals"),
    OpContains => ("contient", "contains"),
    OpStartsWith => ("commence par", "starts with"),
    EngineWorker => ("Moteur en arrière-plan", "Background engine"),
    EngineWorkerHelp => (
        "Ce gros fichier est lu et calculé hors de la page (Web Worker) : la page reste fluide.",
        "This big file is read and computed outside the page (Web Worker): the page stays fluid."
    ),
    /// Table of a portal dataset; `{0}`–`{1}`: rows shown, `{2}`: rows matching.
    PortalPage => ("Lignes {0} à {1} sur {2}", "Rows {0} to {1} of {2}"),
    PreviousPage => ("Page précédente", "Previous page"),
    NextPage => ("Page suivante", "Next page"),
    /// A wide result table shows its value columns by pages; `{0}`–`{1}` of `{2}`.
    ColumnsShown => ("Colonnes {0} à {1} sur {2}", "Columns {0} to {1} of {2}"),
    PreviousColumns => ("Colonnes précédentes", "Previous columns"),
    NextColumns => ("Colonnes suivantes", "Next columns"),
    /// The join panel of a portal dataset computed by its portal.
    JoinNeedsPage => (
        "Ce fichier est trop gros pour être croisé dans la page : le croisement avec une table de référence n'est pas encore possible sur les fichiers lus par le moteur en arrière-plan.",
        "This file is too big to be joined in the page: joining a reference table is not yet possible on files read by the background engine."
    ),
    JoinNeedsBrowser => (
        "Le croisement se fait dans le navigateur : ouvrez d'abord le jeu entier (« Tout télécharger et calculer ici »).",
        "Joins are made in the browser: first open the whole dataset (\"Download everything and compute here\")."
    ),
    Columns => ("colonnes", "columns"),
    Source => ("Source", "Source"),
    Licence => ("Licence", "Licence"),
    Vintage => ("Millésime", "Vintage"),
    Producer => ("Producteur", "Producer"),
    RowIs => ("Une ligne", "One row"),
    /// `{0}`: encoding; `{1}`: delimiter; `{2}`: decimal mark; `{3}`: header line.
    DetectedLine => (
        "Détecté : {0}, séparateur « {1} », {2}, {3}",
        "Detected: {0}, delimiter “{1}”, {2}, {3}",
    ),
    /// `{0}`: line number of the header.
    HeaderOnLine => ("en-tête ligne {0}", "header on line {0}"),
    NoHeader => ("sans en-tête", "no header"),
    HeaderLine => ("Ligne d'en-tête", "Header line"),
    DecimalComma => ("virgule décimale", "decimal comma"),
    DecimalDot => ("point décimal", "decimal point"),
    Decimals => ("Décimales", "Decimals"),
    Separator => ("séparateur", "delimiter"),
    /// The tab character as a delimiter.
    Tab => ("tabulation", "tab"),
    Encoding => ("Encodage", "Encoding"),
    Reread => ("Relire", "Read again"),
    /// `{0}`: how many warnings.
    WarningsCount => ("Avertissements ({0}) :", "Warnings ({0}):"),
    /// `{0}`: line number; `{1}`: the warning.
    WarningAtLine => ("ligne {0} : {1}", "line {0}: {1}"),

    // ── Column types and key kinds ───────────────────────────────────────────────────
    TypeInteger => ("entier", "integer"),
    TypeDecimal => ("décimal", "decimal"),
    TypeFloat => ("nombre", "number"),
    TypeBoolean => ("booléen", "boolean"),
    TypeDate => ("date", "date"),
    TypeDatetime => ("date-heure", "date-time"),
    TypeText => ("texte", "text"),
    KeySiren => ("SIREN", "SIREN"),
    KeySiret => ("SIRET", "SIRET"),
    KeyInseeCommune => ("code INSEE commune", "INSEE commune code"),
    KeyDepartement => ("code département", "département code"),
    KeyRegion => ("code région", "region code"),
    KeyPostalCode => ("code postal", "postcode"),

    // ── Chart ────────────────────────────────────────────────────────────────────────
    Chart => ("Graphique", "Chart"),
    ChartKind => ("Type de graphique", "Chart type"),
    KindRanking => ("Classement", "Ranking"),
    KindBar => ("Barres", "Bars"),
    KindLine => ("Courbe", "Line"),
    KindStackedBar => ("Barres empilées", "Stacked bars"),
    KindTreemap => ("Carte proportionnelle", "Treemap"),
    KindHistogram => ("Histogramme", "Histogram"),
    KindScatter => ("Nuage de points", "Scatter plot"),
    KindBigNumber => ("Chiffre clé", "Key figure"),
    KindMap => ("Carte", "Map"),
    // ── Maps (src/ui/map_view.rs) ──
    MapLevel => ("Niveau", "Level"),
    MapZone => ("Zone", "Area"),
    MapZoneFromData => ("Selon les données", "From the data"),
    MapRegions => ("Régions", "Regions"),
    MapDepartements => ("Départements", "Départements"),
    MapCommunes => ("Communes", "Communes"),
    MapClasses => ("Classes", "Classes"),
    MapClassesQuantile => ("Quantiles", "Quantiles"),
    MapClassesEqual => ("Intervalles égaux", "Equal intervals"),
    MapClassesJenks => ("Seuils naturels (Jenks)", "Natural breaks (Jenks)"),
    MapLoading => ("Chargement des contours…", "Loading the shapes…"),
    /// `{0}`: why the shapes could not be fetched.
    MapUnavailable => ("Contours indisponibles : {0}", "Shapes unavailable: {0}"),
    /// `{0}`: the area zoomed into, « Nord (59) ».
    MapZoomTo => ("Voir les communes : {0}", "Show the communes: {0}"),
    MapData => ("Données de la carte", "Map data"),
    MapDataHint => (
        "Chaque ligne prend le focus au clavier et entoure son territoire sur la carte.",
        "Each row takes the keyboard focus and outlines its area on the map.",
    ),
    MapArea => ("Territoire", "Area"),
    MapNoData => ("pas de donnée", "no data"),
    Measure => ("Mesure", "Measure"),
    Category => ("Catégorie", "Category"),
    Series => ("Série", "Series"),
    CountOfRows => ("Nombre de lignes", "Number of rows"),
    ChartDataTable => ("Données du graphique", "Chart data"),

    // ── Aggregates (chart and grouping) ──────────────────────────────────────────────
    Aggregate => ("Calcul", "Aggregate"),
    AggRowCount => ("Nombre de lignes", "Row count"),
    AggSum => ("Somme", "Sum"),
    Mean => ("Moyenne", "Mean"),
    AggMedian => ("Médiane", "Median"),
    Min => ("Minimum", "Minimum"),
    Max => ("Maximum", "Maximum"),
    AggShare => ("Part du total", "Share of total"),
    /// Count of distinct values, in the grouping panel.
    AggDistinctValues => ("Valeurs distinctes", "Distinct values"),
    /// Count of distinct values, in the chart controls.
    AggDistinctCount => ("Nombre de valeurs distinctes", "Distinct count"),

    // ── Exports ──────────────────────────────────────────────────────────────────────
    Export => ("Exporter", "Export"),
    /// `{0}`: how many rows the export holds.
    ExportRows => ("Exporter {0} lignes :", "Export {0} rows:"),
    ExportCsv => ("CSV", "CSV"),
    ExportCsvFr => ("CSV Excel (FR)", "CSV Excel (FR)"),
    ExportPng => ("Image PNG", "PNG image"),
    ExportSvg => ("Image SVG", "SVG image"),

    // ── Table and column profile ─────────────────────────────────────────────────────
    Table => ("Tableau", "Table"),
    TableCaption => ("Lignes du jeu de données", "Rows of the dataset"),
    /// `{0}`: a column name.
    SortBy => ("Trier par {0}", "Sort by {0}"),
    Type => ("Type", "Type"),
    Key => ("Clé", "Key"),
    Profile => ("Profil de la colonne", "Column profile"),
    Missing => ("Manquantes", "Missing"),
    Distinct => ("Distinctes", "Distinct"),
    TopValues => ("Valeurs les plus fréquentes", "Most frequent values"),
    Value => ("Valeur", "Value"),
    Count => ("Nombre", "Count"),
    Invalid => ("Valeurs invalides pour le type", "Values invalid for the type"),
    Close => ("Fermer", "Close"),

    // ── Filters ──────────────────────────────────────────────────────────────────────
    Filters => ("Filtres", "Filters"),
    AddFilter => ("Ajouter un filtre", "Add a filter"),
    RemoveFilter => ("Retirer le filtre", "Remove filter"),
    Search => ("Rechercher", "Search"),
    SearchAll => ("Rechercher dans le texte", "Search the text"),
    NullOnly => ("Valeurs manquantes seulement", "Missing values only"),
    RowsMatching => ("lignes correspondent", "rows match"),
    /// Filter chip: `{0}`: column; `{1}`: searched text.
    FilterContains => ("{0} contient « {1} »", "{0} contains “{1}”"),
    /// Filter chip, search in every column: `{0}`: searched text.
    FilterTextContains => ("texte contient « {0} »", "text contains “{0}”"),
    /// Filter chip: `{0}`: column.
    FilterMissing => ("{0} : manquant", "{0}: missing"),
    /// Filter chip: `{0}`: column.
    FilterPresent => ("{0} : renseigné", "{0}: present"),

    // ── Grouping and pivot ───────────────────────────────────────────────────────────
    GroupHeading => ("Regrouper et calculer", "Group and aggregate"),
    GroupBy => ("Regrouper par", "Group by"),
    GroupByMany => ("Regrouper par (plusieurs possibles)", "Group by (several allowed)"),
    KeepTop => ("Garder les premiers", "Keep the top"),
    KeepAll => ("tous", "all"),
    Others => ("Autres", "Others"),
    Total => ("Total", "Total"),
    GroupedTable => ("Tableau regroupé", "Grouped table"),
    GroupHint => (
        "Choisissez une ou plusieurs colonnes de regroupement.",
        "Choose one or more columns to group by.",
    ),
    PivotHeading => ("Tableau croisé", "Pivot table"),
    PivotRows => ("Lignes", "Rows"),
    PivotColumns => ("Colonnes", "Columns"),
    /// `{0}`: the summed column.
    PivotSumOf => ("somme : {0}", "sum: {0}"),
    PivotCaption => ("Tableau croisé avec totaux", "Pivot table with totals"),
    PivotHint => (
        "Choisissez une colonne pour les lignes et une pour les colonnes.",
        "Choose a column for rows and one for columns.",
    ),

    // ── Guide: questions, key figures, find my commune, glossary ─────────────────────
    Questions => ("Questions", "Questions"),
    KeyFigures => ("Chiffres clés", "Key figures"),
    /// Under the leader's share: `{0}`: its name.
    LeaderFor => ("pour {0}", "for {0}"),
    FindCommune => ("Trouver ma commune", "Find my commune"),
    CommuneName => ("Nom de la commune", "Commune name"),
    CommunePlaceholder => ("Nom de la commune, ex. Rennes", "Commune name, e.g. Rennes"),
    /// `{0}`: what was searched.
    NoCommuneMatch => ("Aucune commune ne correspond à « {0} ».", "No commune matches “{0}”."),
    CommuneReferenceUnavailable => (
        "Référentiel des communes indisponible.",
        "The commune reference table is unavailable.",
    ),
    MatchingRows => ("Lignes correspondantes", "Matching rows"),
    Glossary => ("Glossaire", "Glossary"),
    /// `{0}`: how many.
    GlossaryOthers => ("Tous les autres termes ({0})", "All other terms ({0})"),

    // ── Cite, share, embed ───────────────────────────────────────────────────────────
    ShareHeading => ("Citer, partager, intégrer", "Cite, share, embed"),
    LocalFileNotShareable => (
        "Ce fichier vient de votre ordinateur : un lien ne peut pas le transmettre.",
        "This file comes from your computer: a link cannot carry it.",
    ),
    CiteView => ("Citer cette vue", "Cite this view"),
    /// `{0}`: title; `{1}`: producer; `{2}`: vintage; `{3}`: source address; `{4}`: licence;
    /// `{5}`: permalink.
    Citation => (
        "{0} — {1} ({2}). Source : {3}. Licence : {4}. Vue Loupe : {5}",
        "{0} — {1} ({2}). Source: {3}. Licence: {4}. Loupe view: {5}",
    ),
    /// Citation of data without a catalogue entry: `{0}`: title; `{1}`: permalink.
    CitationShort => ("{0}. Vue Loupe : {1}", "{0}. Loupe view: {1}"),
    CopyCitation => ("Copier la citation", "Copy citation"),
    Permalink => ("Lien permanent", "Permalink"),
    CopyLink => ("Copier le lien", "Copy link"),
    EmbedCode => ("Code d'intégration", "Embed code"),
    CopyEmbed => ("Copier le code d'intégration", "Copy the embed code"),
    /// `{0}`: what was copied (one of the three below).
    Copied => ("Copié ({0}).", "Copied ({0})."),
    CopiedCitation => ("citation", "the citation"),
    CopiedLink => ("lien", "the link"),
    CopiedEmbed => ("code d'intégration", "the embed code"),
    /// Title of the embed iframe: `{0}`: dataset title.
    EmbedFrameTitle => ("Loupe : {0}", "Loupe: {0}"),
    OpenInLoupe => ("Ouvrir dans Loupe", "Open in Loupe"),

    // ── Documentation ────────────────────────────────────────────────────────────────
    Documentation => ("Documentation", "Documentation"),
    /// `{0}`: how many columns.
    DocMeaningOfColumns => ("Signification des {0} colonnes", "Meaning of the {0} columns"),
    /// `{0}`: the schema's title.
    DocColumnsOf => ("Colonnes de « {0} »", "Columns of “{0}”"),
    DocColumn => ("Colonne", "Column"),
    DocLabel => ("Intitulé", "Label"),
    DocMeaning => ("Signification", "Meaning"),
    DocSchemaNote => (
        "Descripteur au format Table Schema (schema.data.gouv.fr) : ",
        "Table Schema descriptor (schema.data.gouv.fr format): ",
    ),
    DocLearned => (
        "Ce que Loupe a appris en lisant le fichier :",
        "What Loupe learned reading the file:",
    ),
    DocDetectedColumns => ("Colonnes détectées", "Detected columns"),

    // ── Join with a reference table ──────────────────────────────────────────────────
    JoinHeading => ("Croiser avec un référentiel", "Cross with a reference table"),
    /// `{0}`: reference; `{1}`, `{2}`: data and reference keys; `{3}`: match rate.
    JoinApplied => (
        "Jointure appliquée avec « {0} » ({1} = {2}) : {3} des lignes ont trouvé une correspondance.",
        "Join applied with “{0}” ({1} = {2}): {3} of rows matched.",
    ),
    JoinUndo => ("Annuler la jointure", "Undo the join"),
    JoinBundledReference => ("Référentiel fourni", "Bundled reference"),
    JoinOrFile => ("ou un fichier CSV", "or a CSV file"),
    JoinLoadingReference => ("Chargement du référentiel…", "Loading the reference…"),
    JoinReferenceUnreadable => ("Référentiel illisible.", "Unreadable reference."),
    JoinFileUnreadable => ("Fichier illisible.", "Unreadable file."),
    JoinProposedKeys => ("Clés proposées", "Proposed keys"),
    /// Why a key pair is proposed: the data and reference columns have similar names.
    JoinSimilarNames => ("noms proches", "similar names"),
    /// Why a key pair is proposed: SIRET on the data side, SIREN on the reference side.
    JoinSiretToSiren => ("SIRET -> SIREN (9 premiers chiffres)", "SIRET -> SIREN (first 9 digits)"),
    JoinNoObviousKey => (
        "Aucune clé évidente : choisissez les colonnes.",
        "No obvious key: choose the columns.",
    ),
    JoinDataColumn => ("Colonne des données", "Data column"),
    JoinReferenceColumn => ("Colonne du référentiel", "Reference column"),
    JoinRowsKept => ("Lignes gardées", "Rows kept"),
    JoinHowLeft => ("toutes (jointure à gauche)", "all (left join)"),
    JoinHowInner => ("celles qui correspondent (jointure interne)", "matching only (inner join)"),
    /// After the match rate: `{0}`: rows matched; `{1}`: rows in all.
    JoinMatchRate => (
        " des lignes trouvent une correspondance ({0} sur {1}).",
        " of rows find a match ({0} of {1}).",
    ),
    JoinOneToOne => (
        "Chaque clé du référentiel est unique : correspondance une à une.",
        "Each reference key is unique: one-to-one.",
    ),
    JoinManyToOne => (
        "Plusieurs lignes des données peuvent correspondre à la même ligne du référentiel.",
        "Several data rows may match the same reference row.",
    ),
    /// `{0}`: how many keys are repeated in the reference.
    JoinOneToMany => (
        "Attention : {0} clés apparaissent plusieurs fois dans le référentiel ; seule la première ligne est utilisée.",
        "Warning: {0} keys appear more than once in the reference; only the first row is used.",
    ),
    JoinUnmatchedExamples => (
        "Exemples de clés sans correspondance : ",
        "Examples of unmatched keys: ",
    ),
    JoinRepairs => ("Réparations possibles", "Possible repairs"),
    RepairPadZeros => (
        "rétablir les zéros initiaux perdus (1053 → 01053)",
        "restore lost leading zeros (1053 → 01053)",
    ),
    RepairCorsica => ("codes de Corse 20 → 2A / 2B", "Corsica codes 20 → 2A / 2B"),
    RepairSiretToSiren => ("SIRET → SIREN (9 premiers chiffres)", "SIRET → SIREN (first 9 digits)"),
    JoinApply => ("Appliquer la jointure", "Apply the join"),

    // Stories (`state/story.rs`, `ui/story*.rs`).
    StoryNotBase64 => (
        "Ce lien de récit est abîmé : il n'est pas en base64url.",
        "This story link is damaged: it is not base64url.",
    ),
    /// `{0}`: the JSON parser's reason.
    StoryNotJson => (
        "Ce récit n'est pas un document JSON lisible ({0}).",
        "This story is not a readable JSON document ({0}).",
    ),
    StoryNotAStory => (
        "Ce document n'est pas un récit Loupe (il lui manque la liste « steps »).",
        "This document is not a Loupe story (it has no \"steps\" list).",
    ),
    /// `{0}`: the version the document says.
    StoryNewerVersion => (
        "Ce récit est écrit au format {0}, plus récent que celui que cette version de Loupe sait lire (1).",
        "This story is written in format {0}, newer than this version of Loupe can read (1).",
    ),
    /// `{0}`: the limit in KB.
    StoryTooLarge => (
        "Ce récit dépasse {0} Ko : ce n'est pas un récit.",
        "This story is larger than {0} KB: it is not a story.",
    ),
    StoryNoVersion => (
        "le récit ne dit pas sa version (« v ») : il est lu au format 1",
        "the story does not give its version (\"v\"): it is read as format 1",
    ),
    /// `{0}`: a field name.
    StoryBadField => ("champ « {0} » illisible, ignoré", "field \"{0}\" unreadable, ignored"),
    /// `{0}`: a field name.
    StoryClipped => ("texte « {0} » trop long, coupé", "text \"{0}\" too long, cut"),
    /// `{0}`: steps dropped; `{1}`: the maximum.
    StoryTooManySteps => (
        "{0} étapes au-delà des {1} premières sont ignorées",
        "{0} steps beyond the first {1} are ignored",
    ),
    /// `{0}`: the reason.
    StorySrcRefused => ("source refusée, étape ignorée ({0})", "source refused, step ignored ({0})"),
    StoryBadView => (
        "vue illisible, étape ignorée",
        "unreadable view, step ignored",
    ),
    StoryBadJoin => (
        "jointure illisible ou refusée : l'étape est montrée sans elle",
        "unreadable or refused join: the step is shown without it",
    ),
    /// `{0}`: the refused address.
    StoryLinkRefused => (
        "lien « {0} » refusé (seules les adresses https:// sont suivies), son texte est gardé",
        "link \"{0}\" refused (only https:// addresses are followed), its text is kept",
    ),
    /// `{0}`: the step's number; `{1}`: what was dropped.
    StoryStepNotice => ("étape {0} : {1}", "step {0}: {1}"),
    /// `{0}`: the value given.
    StorySrcNotJson => (
        "« {0} » n'est pas un fichier .json",
        "\"{0}\" is not a .json file",
    ),
    /// `{0}`: the value given; `{1}`: the closest ids.
    StoryUnknown => (
        "récit inconnu « {0} » (récits fournis : {1})",
        "unknown story \"{0}\" (bundled stories: {1})",
    ),
    StoryPartlyRead => (
        "Une partie de ce récit n'a pas pu être lue :",
        "Part of this story could not be read:",
    ),
    StoryUnreadableTitle => ("Récit illisible", "Unreadable story"),
    StoryLoading => ("Chargement du récit…", "Loading the story…"),
    /// `{0}`: the step's number; `{1}`: how many steps.
    StoryStepLabel => ("Étape {0} sur {1}", "Step {0} of {1}"),
    ExploreThisData => ("Explorer ces données", "Explore this data"),
    /// `{0}`: the step's title.
    ExploreThisDataOf => ("Explorer ces données : {0}", "Explore this data: {0}"),
    StoryDataLoading => ("Chargement des données…", "Loading the data…"),
    /// `{0}`: why.
    StoryStepFailed => (
        "Les données de cette étape n'ont pas pu être chargées : {0}",
        "The data of this step could not be loaded: {0}",
    ),
    StoryViewRefitted => (
        "La vue de cette étape nomme des colonnes absentes des données : le graphique montré est une suggestion.",
        "This step's view names columns the data lacks: the chart shown is a suggestion.",
    ),
    StoryStepsHeading => ("Les étapes du récit", "The story's steps"),
    StoryTermsHeading => ("Les mots du récit", "Words used in this story"),
    StoriesHeading => ("Récits", "Stories"),
    StoriesIntro => (
        "De courtes histoires écrites à partir des données fournies avec Loupe, vérifiées chiffre par chiffre.",
        "Short stories written from the data that comes with Loupe, checked figure by figure.",
    ),
    StoryMadeWithLoupe => ("Récit publié avec Loupe", "Story published with Loupe"),
    // The story editor (journalist and power presets).
    AddToStory => ("Ajouter au récit", "Add to the story"),
    /// `{0}`: how many steps.
    AddedToStory => (
        "Vue ajoutée au récit ({0} étapes).",
        "View added to the story ({0} steps).",
    ),
    StoryLocalNotAddable => (
        "Un fichier local ne peut pas entrer dans un récit : publiez-le d'abord à une adresse https://.",
        "A local file cannot go into a story: publish it at an https:// address first.",
    ),
    /// `{0}`: how many steps.
    StoryDraftHeading => ("Mon récit ({0} étapes)", "My story ({0} steps)"),
    StoryDraftEmpty => (
        "Le récit est vide : « Ajouter au récit » y met la vue affichée.",
        "The story is empty: \"Add to the story\" puts the view shown into it.",
    ),
    StoryTitleLabel => ("Titre du récit", "Story title"),
    StoryLedeLabel => ("Chapeau (introduction)", "Lede (introduction)"),
    /// `{0}`: the step's number.
    StoryStepTitleLabel => ("Titre de l'étape {0}", "Title of step {0}"),
    /// `{0}`: the step's number.
    StoryStepTextLabel => ("Texte de l'étape {0}", "Text of step {0}"),
    StoryTextHelp => (
        "Paragraphes séparés par une ligne vide ; **gras**, *italique*, [lien](https://…).",
        "Paragraphs separated by a blank line; **bold**, *italics*, [link](https://…).",
    ),
    /// `{0}`: the step's number.
    StoryMoveUp => ("Monter l'étape {0}", "Move step {0} up"),
    /// `{0}`: the step's number.
    StoryMoveDown => ("Descendre l'étape {0}", "Move step {0} down"),
    /// `{0}`: the step's number.
    StoryDeleteStep => ("Supprimer l'étape {0}", "Delete step {0}"),
    StoryPreview => ("Aperçu du récit", "Preview the story"),
    StoryWrite => ("Écrire le récit", "Write the story"),
    StoryCopyLink => ("Copier le lien du récit", "Copy the story link"),
    StoryCopyEmbed => ("Copier le code d'intégration", "Copy the embed code"),
    StoryDownload => ("Télécharger le JSON", "Download the JSON"),
    StoryUpload => ("Importer un récit (JSON)", "Import a story (JSON)"),
    StoryClear => ("Vider le récit", "Empty the story"),
    StoryLinkLabel => ("Lien du récit", "Story link"),
    StoryEmbedLabel => ("Code d'intégration du récit", "Story embed code"),
    StoryCopied => ("Copié.", "Copied."),
    /// `{0}`: the story's title.
    StoryFrameTitle => ("Récit Loupe : {0}", "Loupe story: {0}"),
    StoryUntitled => ("Récit sans titre", "Untitled story"),
    StoryImported => ("Récit importé.", "Story imported."),
    StoryStorageUnavailable => (
        "Ce navigateur ne garde pas le brouillon (stockage local indisponible) : téléchargez le JSON avant de partir.",
        "This browser does not keep the draft (local storage unavailable): download the JSON before leaving.",
    ),
}
