// The planners, in planning order: a planner may read the tasks of those before it (a dashboard
// waits for its folder, a rule group for the contact points it routes to). Adding a kind is one
// planner file and one line here; the apply order is each planner's phase ranks.
import type { Planner } from "../plan.js";
import { contactPoints } from "./contactPoints.js";
import { dashboards } from "./dashboards.js";
import { datasources } from "./datasources.js";
import { folderPrune } from "./folderPrune.js";
import { folderPermissions } from "./folderPermissions.js";
import { folders } from "./folders.js";
import { teams } from "./teams.js";
import { policies } from "./policies.js";
import { ruleGroups } from "./ruleGroups.js";

export const PLANNERS: readonly Planner[] = [folders, teams, folderPermissions, datasources, dashboards, contactPoints, ruleGroups, policies, folderPrune];
