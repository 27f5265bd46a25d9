// The stand-in portal's default datasets: descriptors for startPortal({ datasets }).
// The CSVs are generated deterministically by fixtures/generate.mjs (and committed).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const BUDGET = {
  id: 'budget-communes',
  file: join(dir, 'budget-communes.csv'),
  metas: {
    title: 'Budget des communes (comptes administratifs)',
    description: '<p>Montants des <strong>budgets votés</strong> par commune et par chapitre, de 2019 à 2024.</p><ul><li>Montants en euros</li><li>Codes département sur deux caractères (<code>01</code>, <code>2A</code>)</li></ul>',
    publisher: 'Direction générale des Finances publiques',
    license: 'Licence Ouverte v2.0 (Etalab)',
    modified: '2024-06-12T09:30:00+00:00',
    keyword: ['budget', 'finances locales', 'collectivités'],
    theme: ['Économie, Finances publiques'],
  },
  fields: [
    { name: 'annee', label: 'Année', type: 'int', description: 'Exercice budgétaire' },
    { name: 'code_departement', label: 'Code département', type: 'text', description: 'Code INSEE du département' },
    { name: 'departement', label: 'Département', type: 'text', description: null },
    { name: 'commune', label: 'Commune', type: 'text', description: null },
    { name: 'nature', label: 'Nature', type: 'text', description: 'Fonctionnement ou investissement' },
    { name: 'chapitre', label: 'Chapitre', type: 'text', description: null },
    { name: 'montant', label: 'Montant (€)', type: 'double', description: 'Montant voté en euros' },
    { name: 'population', label: 'Population', type: 'int', description: null },
    { name: 'date_vote', label: 'Date du vote', type: 'date', description: null },
  ],
};

export const METEO = {
  id: 'stations-meteo',
  file: join(dir, 'stations-meteo.csv'),
  metas: {
    title: 'Relevés des stations météo',
    description: '<p>Températures et précipitations moyennes relevées par les <em>stations</em> en 2023.</p>',
    publisher: 'Météo-France',
    license: 'Licence Ouverte v2.0 (Etalab)',
    modified: '2023-12-31T23:00:00+00:00',
    keyword: ['météo', 'climat', 'température'],
    theme: ['Environnement'],
  },
  fields: [
    { name: 'id_station', label: 'Identifiant station', type: 'text', description: null },
    { name: 'nom', label: 'Nom', type: 'text', description: null },
    { name: 'region', label: 'Région', type: 'text', description: null },
    { name: 'altitude', label: 'Altitude (m)', type: 'int', description: null },
    { name: 'temperature_moyenne', label: 'Température moyenne (°C)', type: 'double', description: null },
    { name: 'precipitations', label: 'Précipitations (mm)', type: 'double', description: null },
    { name: 'mesure', label: 'Date de mesure', type: 'datetime', description: null },
    { name: 'position', label: 'Position', type: 'geo_point_2d', description: null },
  ],
};

export const SUBVENTIONS = {
  id: 'subventions-associations',
  file: join(dir, 'subventions-associations.csv'),
  metas: {
    title: 'Subventions aux associations',
    description: '<p>Subventions votées par le conseil municipal aux associations &amp; clubs.</p>',
    publisher: 'Ville de Laval',
    license: 'ODbL',
    modified: '2025-02-03T14:00:00+00:00',
    keyword: ['associations', 'subventions', 'budget'],
    theme: ['Culture, Sport', 'Solidarité'],
  },
  fields: [
    { name: 'numero_siret', label: 'Numéro SIRET', type: 'text', description: null },
    { name: 'association', label: 'Association', type: 'text', description: null },
    { name: 'objet', label: 'Objet', type: 'text', description: 'Objet de la subvention' },
    { name: 'secteur', label: 'Secteur', type: 'text', description: null },
    { name: 'montant_vote', label: 'Montant voté', type: 'int', description: null },
    { name: 'exercice', label: 'Exercice', type: 'int', description: null },
  ],
};

export const DATASETS = [BUDGET, METEO, SUBVENTIONS];
export default DATASETS;
