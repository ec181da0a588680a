import { z } from 'zod';
import { ZOk } from '../core/schema.js';
import { orgProcedure, projectProcedure, reachProcedure, router } from '../trpc/procedures.js';
import {
  ZAddCollaboratorInput,
  ZCollaborator,
  ZCollaboratorPage,
  ZCollaboratorsInput,
  ZCreateProjectInput,
  ZListProjectsInput,
  ZProject,
  ZProjectPage,
  ZProjectRefInput,
  ZRemoveCollaboratorInput,
  ZRetrieveProjectInput,
  ZUpdateProjectInput,
} from './schema.js';
import * as projects from './service.js';

// A project's own procedures decide on the project (projectProcedure): members by their role and teams,
// external collaborators by their bindings. Creating and deleting one is the organization's business.
export const projectsRouter = router({
  create: orgProcedure('projects:write')
    .input(ZCreateProjectInput)
    .output(ZProject)
    .mutation(({ ctx, input }) => projects.createProject(ctx, input)),
  list: reachProcedure
    .input(ZListProjectsInput)
    .output(ZProjectPage)
    .query(({ ctx, input }) => projects.listProjects(ctx, input)),
  retrieve: projectProcedure('projects:read')
    .input(ZRetrieveProjectInput)
    .output(ZProject)
    .query(({ ctx, input }) => projects.retrieveProject(ctx, input)),
  update: projectProcedure('projects:write')
    .input(ZUpdateProjectInput)
    .output(ZProject)
    .mutation(({ ctx, input }) => projects.updateProject(ctx, input)),
  delete: orgProcedure('projects:write')
    .input(ZProjectRefInput)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => projects.deleteProject(ctx, input)),
  addCollaborator: projectProcedure('members:invite')
    .input(ZAddCollaboratorInput)
    .output(ZCollaborator)
    .mutation(({ ctx, input }) => projects.addCollaborator(ctx, input)),
  removeCollaborator: projectProcedure('members:remove')
    .input(ZRemoveCollaboratorInput)
    .output(ZOk)
    .mutation(({ ctx, input }) => projects.removeCollaborator(ctx, input)),
  // On a project, members:* is its collaborators: reading them (their emails too) is members:read there.
  collaborators: projectProcedure('members:read')
    .input(ZCollaboratorsInput)
    .output(ZCollaboratorPage)
    .query(({ ctx, input }) => projects.listCollaborators(ctx, input)),
});
