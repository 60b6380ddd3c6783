// The campaign pages, loaded on first visit as their own chunk: the inbox, which the office keeps
// open all day, does not pay for the builder and the charts.
export { CampaignBuilder } from './CampaignBuilder';
export { CampaignDetail } from './CampaignDetail';
export { Campaigns } from './Campaigns';
