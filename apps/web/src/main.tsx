import '@mantine/core/styles.css'
import '@mantine/charts/styles.css'
import '@mantine/notifications/styles.css'
import '@mantine/spotlight/styles.css'
import './app.css'
import { MantineProvider, createTheme, localStorageColorSchemeManager } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { authState, keys, queryClient } from './lib/queries.ts'
import { router } from './router.tsx'

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'md', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' })
const colorSchemeManager = localStorageColorSchemeManager({ key: 'allhands-color-scheme' })

authState.onUnauthenticated = () => {
  queryClient.removeQueries({ queryKey: keys.me })
  const path = router.state.location.pathname
  if (!['/login', '/setup'].includes(path) && !path.startsWith('/invite/')) void router.navigate({ to: '/login', search: { next: router.state.location.href } })
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
)
