namespace cogsync::storage {}
